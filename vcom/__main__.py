from vcom.cli import main

main()
