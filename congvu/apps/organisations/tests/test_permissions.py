import pytest

from congvu.apps.organisations.permissions import visible_officials, visible_units

EXPECTED = {
    "alice": {"D1", "D1A"},
    "bob": {"P", "D1", "D1A", "HA", "C1", "C1H", "C2"},
    "carol": {"C1", "C1H"},
    "dave": {"P", "D1", "D1A", "HA", "C1", "C1H", "C2"},
    "erin": {"C2"},
    "citizen": set(),
}


@pytest.mark.parametrize(("who", "codes"), sorted(EXPECTED.items()))
def test_each_user_sees_exactly_their_scope(cast, who, codes):
    user = getattr(cast.users, who)
    assert set(visible_units(user).values_list("code", flat=True)) == codes


def test_anonymous_sees_no_unit(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_units(AnonymousUser()).exists()


def test_officials_visible_through_their_units(cast):
    assert set(visible_officials(cast.users.carol).values_list("code", flat=True)) == {"CAROL"}
    # erin once worked in D1: her history is visible to D1's staff
    assert set(visible_officials(cast.users.alice).values_list("code", flat=True)) == {
        "ALICE",
        "ERIN",
    }


def test_scope_query_count_is_bounded(cast, django_assert_max_num_queries):
    user = cast.users.alice
    with django_assert_max_num_queries(2):
        list(visible_units(user))
