"""Random and hostile input (hypothesis): the search folding, the catalogue's search and filters, and the
registration form never answer with a server error, and a refused form writes nothing."""

import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models_registry.models import Initiative
from models_registry.search import search_words
from models_registry.text import fold_for_search, search_document

# Text as people paste it: Vietnamese letters in both Unicode forms, punctuation, control characters,
# right-to-left marks, surrogates excluded (they cannot be sent), very long strings.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐđ"
hostile_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.text(alphabet=VIETNAMESE + " -–“”'\"%_\\/<>&;=+@|", max_size=120),
    st.sampled_from(["' OR 1=1 --", "%%%", "_", "\\", "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "\x00",
                     "\u202e", "Đ" * 5000, " ".join(["hu"] * 50)]),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Through the pages: fewer examples, each a few requests.
PAGE_SETTINGS = settings(SETTINGS, max_examples=25)


@SETTINGS
@given(hostile_text)
def test_folding_gives_lowercase_ascii_words_whatever_the_input(text):
    folded = fold_for_search(text)
    assert folded == folded.strip() and "  " not in folded
    assert all(word.isalnum() for word in folded.split())
    # The same text in either Unicode normal form folds the same way.
    assert fold_for_search(unicodedata.normalize("NFD", text)) == fold_for_search(unicodedata.normalize("NFC", text))
    assert len(search_words(text)) <= 8
    document = search_document(text, "x")
    assert document.startswith(" ") and document.endswith(" |")


@pytest.mark.django_db
@PAGE_SETTINGS
@given(query=hostile_text, year=hostile_text, sort=hostile_text, page=hostile_text)
def test_the_catalogue_answers_any_query_without_an_error(units, query, year, sort, page):
    client = Client()
    response = client.get(reverse("portal:catalogue"), {"q": query, "year": year, "sort": sort, "page": page})
    assert response.status_code in (200, 400)
    assert client.get(reverse("portal:catalogue_search_json"), {"q": query}).status_code in (200, 400)


@pytest.mark.django_db
@PAGE_SETTINGS
@given(title=hostile_text, budget=st.one_of(hostile_text, st.just("1.500.000")), situation=hostile_text,
       phone=st.one_of(hostile_text, st.just("0905 123 456")), year=st.one_of(hostile_text, st.just("2025")))
def test_the_registration_form_refuses_or_saves_whole_never_an_error(unit_staff, title, budget, phone, year,
                                                                      situation):
    client = Client(raise_request_exception=False)
    client.force_login(unit_staff)
    before = Initiative.unscoped.count()
    response = client.post(reverse("portal:staff_create"), {
        "title": title, "kind": "collective", "origin": "new", "field": "1", "registration_year": year,
        "budget_amount": budget, "contact_phone": phone, "situation": situation,
    })
    assert response.status_code in (200, 302), response.status_code
    created = Initiative.unscoped.count() - before
    if response.status_code == 200:
        assert created == 0  # refused: nothing written
    else:
        assert created == 1
        saved = Initiative.unscoped.latest("pk")
        assert saved.title == title.strip() or saved.title == title
        saved.delete()
