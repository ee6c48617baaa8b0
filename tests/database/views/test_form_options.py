"""Form views as Baserow's frontend edits them: images, notification flag, conditions."""

import pytest

from tests.database.helpers import read_rows
from tests.database.views.helpers import VIEWS, create_view
from tests.database.views.test_public import anonymous, form, shared  # noqa: F401 (fixtures)
from tests.user_files.conftest import media_root, png_bytes, upload  # noqa: F401 (fixture)


def test_a_new_form_has_the_keys_the_frontend_reads(user_client, table):
    view = create_view(user_client, table, "form")
    assert view["cover_image"] is None
    assert view["logo_image"] is None
    assert view["receive_notification_on_submit"] is False


def test_cover_and_logo_images_are_user_files(user_client, table, anonymous, other_user):  # noqa: F811
    image = upload(user_client, "cover.png", png_bytes()).json()
    view = create_view(user_client, table, "form")
    url = f"{VIEWS}/{view['id']}/"
    body = {"cover_image": {"name": image["name"]}, "receive_notification_on_submit": True}
    changed = user_client.patch(url, body, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["cover_image"]["name"] == image["name"]
    assert changed.json()["cover_image"]["url"].endswith(image["name"])
    assert changed.json()["logo_image"] is None
    assert changed.json()["receive_notification_on_submit"] is True
    user_client.patch(url, {"public": True}, format="json")
    public = anonymous.get(f"{VIEWS}/form/{view['slug']}/submit/").json()
    assert public["cover_image"]["name"] == image["name"]
    # Unknown files and other shapes are refused; null removes the image.
    for bad in ({"name": "nope.png"}, "cover.png", {"id": 1}):
        response = user_client.patch(url, {"logo_image": bad}, format="json")
        assert response.status_code == 400, bad
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    cleared = user_client.patch(url, {"cover_image": None}, format="json").json()
    assert cleared["cover_image"] is None


def test_conditions_are_kept_with_ids(user_client, form, shared):  # noqa: F811
    url = f"{VIEWS}/{form['id']}/field-options/"
    age = str(shared["age"].id)
    conditions = [
        {"id": 7, "field": shared["name"].id, "type": "equal", "value": "Eve", "group": None},
        {"field": shared["name"].id, "type": "contains", "value": "v", "group": 3},
    ]
    groups = [{"id": 3, "filter_type": "OR", "parent_group": None}]
    body = {
        age: {
            "show_when_matching_conditions": True,
            "condition_type": "OR",
            "conditions": conditions,
            "condition_groups": groups,
            "field_component": "default",
        }
    }
    response = user_client.patch(url, {"field_options": body}, format="json")
    assert response.status_code == 200, response.json()
    kept = user_client.get(url).json()["field_options"][age]
    assert kept["show_when_matching_conditions"] is True
    assert kept["condition_type"] == "OR"
    assert [c["id"] for c in kept["conditions"]] == [7, 8]
    assert kept["condition_groups"] == groups
    orphan = {age: {"condition_groups": [{"id": 4, "filter_type": "AND", "parent_group": 99}]}}
    response = user_client.patch(url, {"field_options": orphan}, format="json")
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


@pytest.fixture
def conditional(user_client, form, shared):  # noqa: F811
    """The age is asked (and required) only when the name is Eve."""
    url = f"{VIEWS}/{form['id']}/field-options/"
    condition = {"field": shared["name"].id, "type": "equal", "value": "Eve"}
    body = {
        str(shared["age"].id): {
            "required": True,
            "show_when_matching_conditions": True,
            "conditions": [condition],
        }
    }
    assert user_client.patch(url, {"field_options": body}, format="json").status_code == 200
    return form


def test_a_field_whose_conditions_fail_is_not_asked(anonymous, conditional, shared, table):  # noqa: F811
    url = f"{VIEWS}/form/{conditional['slug']}/submit/"
    name, age = shared["name"].db_column, shared["age"].db_column
    info = anonymous.get(url).json()
    (asked_age,) = [f for f in info["fields"] if f["field"]["id"] == shared["age"].id]
    assert asked_age["show_when_matching_conditions"] is True
    assert asked_age["conditions"][0]["value"] == "Eve"
    # Not Eve: the age is neither required nor stored.
    response = anonymous.post(url, {name: "Zed", age: "99"}, format="json")
    assert response.status_code == 200, response.json()
    row = next(r for r in read_rows(table) if r["id"] == response.json()["row_id"])
    assert row[age] is None
    # Eve: the age is asked, so required.
    missing = anonymous.post(url, {name: "Eve"}, format="json")
    assert missing.status_code == 400
    assert age in missing.json()["detail"]
    kept = anonymous.post(url, {name: "Eve", age: "41"}, format="json")
    assert kept.status_code == 200
    row = next(r for r in read_rows(table) if r["id"] == kept.json()["row_id"])
    assert row[age] == "41"
