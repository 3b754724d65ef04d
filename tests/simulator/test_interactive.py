"""Typing as a customer: each line shows what was understood, said, shown, and how long it took."""


def test_a_typed_line_shows_intent_slots_speech_and_stage_timings(simulate):
    result = simulate(stdin="open corner shop\nadd two oat milks\n.quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "intent    LaunchRequest" in out
    assert "intent    AddToCartIntent  (confidence 1.00" in out
    assert "product=oat milk [GRO-OATMILK]" in out
    assert "speech    Added 2 oat milks." in out
    assert "reprompt  What would you like to do?" in out
    assert "screen    cart: Your cart" in out
    assert "nlu " in out and " ms · skill " in out


def test_session_attributes_are_shown_while_a_question_is_open(simulate):
    out = simulate(stdin="add two oat milks\ncheck out\n").stdout
    assert '"awaiting": "purchase"' in out


def test_an_echo_dot_gets_no_screen(simulate):
    out = simulate("--device", "echo-dot", stdin="add two oat milks\n").stdout
    assert "speech    Added 2 oat milks." in out
    assert "screen" not in out and "RenderDocument" not in out
    assert "card      Your cart" in out


def test_dot_new_starts_a_new_session(simulate):
    out = simulate(stdin="add two oat milks\ncheck out\n.new\nyes\n").stdout
    assert "(new session)" in out
    assert "There's nothing waiting for a yes or no" in out


def test_a_missing_store_says_to_run_db_upgrade(tmp_path):
    from tests.simulator.conftest import run_simulate

    result = run_simulate(f"sqlite:///{tmp_path / 'none.sqlite3'}", stdin="check out\n")
    assert result.returncode == 1
    assert "vcom db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_skill_id_from_the_environment_is_honoured(seeded_url):
    from tests.simulator.conftest import run_simulate

    environment = {"VCOM_SKILL_ID": "amzn1.ask.skill.x"}
    result = run_simulate(seeded_url, stdin="check out\n", env=environment)
    assert result.returncode == 0, result.stderr
    assert "speech    Your cart is empty." in result.stdout
