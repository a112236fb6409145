"""The sources annex: well-formed entries, unique keys, a French error for an unknown key."""

import pytest

from monnaies_en_jeu import sources


def test_every_entry_has_its_fields_and_a_primary_url():
    entries = sources.annex()
    assert entries
    for key, entry in entries.items():
        assert entry.key == key
        assert entry.url.startswith("https://"), key
        assert entry.citation().startswith(entry.auteur)


def test_an_unknown_key_is_a_french_error():
    with pytest.raises(sources.UnknownSource, match="Source inconnue"):
        sources.source("pas_une_source")


def test_a_malformed_entry_names_its_file_and_key():
    with pytest.raises(ValueError, match="x.yaml\u00a0: la source «\u00a0k\u00a0» — champs manquants"):
        sources._entries("x.yaml", "k: {titre: T}")


def test_a_citation_writes_its_date_as_people_do():
    entry = sources.source("decret_2025_1386")
    assert entry.citation().endswith("», 30 décembre 2025")
    assert entry.citation("en").endswith("30 December 2025")
