from backend.order_numbers import order_number, parse_order_number


def test_the_first_orders_count_up_from_a_100():
    assert [order_number(i) for i in (1, 2, 900, 901)] == ["A-100", "A-101", "A-999", "B-100"]


def test_order_numbers_never_repeat_across_many_orders():
    numbers = [order_number(i) for i in range(1, 60_000)]
    assert len(set(numbers)) == len(numbers)


def test_letters_that_sound_or_look_alike_are_not_used():
    letters = {order_number(i).split("-")[0][-1] for i in range(1, 900 * 23, 900)}
    assert not letters & {"I", "O", "Q"}


def test_spoken_forms_are_normalized():
    assert parse_order_number("a 417") == "A-417"
    assert parse_order_number("b-123") == "B-123"
    assert parse_order_number("hello") is None
