"""One reader for numbers as people type them (game forms and module exercises)."""

from decimal import Decimal

import pytest

from monnaies_en_jeu.numbers import AmbiguousNumber, NumberError, read_number


@pytest.mark.parametrize("text, value", [
    ("12,5", "12.5"), ("12.5", "12.5"), ("1 000", "1000"), ("1 000,50", "1000.50"),
    ("1\u202f000,50", "1000.50"), ("1\u00a0234\u00a0567", "1234567"), ("1.000,50", "1000.50"),
    ("1,000.50", "1000.50"), ("1.000.000", "1000000"), ("0,250", "0.250"), ("1,5", "1.5"),
    ("-3", "-3"), ("\u22122,5", "-2.5"), ("25 %", "25"), ("12,50 €", "12.50"), ("1 568,65 eusko", "1568.65"),
    (",5", "0.5"), ("1000", "1000"), ("12,0000", "12.0000"), ("1234,567", "1234.567"),
])
def test_numbers_people_type_are_read_exactly(text, value):
    assert read_number(text) == Decimal(value)


@pytest.mark.parametrize("text, choices", [
    ("1.000", ("1000", "1.000")), ("1,000", ("1000", "1.000")), ("12,500", ("12500", "12.500")),
    ("-2.500 €", ("-2500", "-2.500")),
])
def test_a_thousand_or_one_is_asked_never_guessed(text, choices):
    with pytest.raises(AmbiguousNumber) as caught:
        read_number(text)
    assert caught.value.choices == tuple(Decimal(c) for c in choices)
    assert caught.value.code == "nombre_ambigu"
    assert "voulez-vous dire" in caught.value.message()
    assert "do you mean" in caught.value.message("en")


def test_the_question_names_both_readings_the_french_way():
    with pytest.raises(AmbiguousNumber) as caught:
        read_number("1.000")
    assert caught.value.message() == ("«\u00a01.000\u00a0»\u00a0: voulez-vous dire 1\u202f000 ou 1\u00a0? "
                                      "Écrivez 1000 ou 1.")


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12 5", "1.000,5,0", "--3", "1 0000", "1,00.0", "€"])
def test_what_is_not_a_number_gets_a_french_error(text):
    with pytest.raises(NumberError) as caught:
        read_number(text)
    assert not isinstance(caught.value, AmbiguousNumber)
    assert "n'est pas un nombre" in caught.value.message()
