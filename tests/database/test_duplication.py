"""Duplicating tables and databases keeps every cell: options, relation tables and references."""

from typing import Any

import pytest
from django.urls import reverse

from database import table_models
from database.compose.applications import application_duplicate
from database.compose.tables import table_duplicate
from database.fields.models import Field, SelectOption
from database.fields.services import field_create_unchecked, field_delete, field_update
from database.fields.types import select
from database.rows.services import rows_update
from database.tables.models import Table
from tests.database.helpers import insert_rows, read_rows


def add_field(table: Table, type: str, name: str, **options) -> Field:
    field, _ = field_create_unchecked(table=table, type=type, name=name, options=options)
    return field


def fields_of(table: Table) -> dict[str, Field]:
    return {field.name: field for field in Field.objects.filter(table_id=table.id)}


def without_option_ids(value: Any) -> Any:
    """A cell value with select option ids left out (copies have options of their own)."""
    if isinstance(value, list):
        return [without_option_ids(item) for item in value]
    if isinstance(value, dict):
        return {
            key: without_option_ids(item)
            for key, item in value.items()
            if not (key == "id" and "color" in value)
        }
    return value


def cells(table: Table) -> list[dict[str, Any]]:
    """The rows as the API reads them, keyed by field name, option ids left out."""
    names = {f.db_column: f.name for f in Field.objects.filter(table_id=table.id)}
    return [
        {names.get(key, key): without_option_ids(value) for key, value in row.items()}
        for row in read_rows(table)
    ]


def option_ids_in(value: Any) -> set[int]:
    if isinstance(value, list):
        return set().union(*map(option_ids_in, value)) if value else set()
    if isinstance(value, dict):
        own = {value["id"]} if "color" in value else set()
        return own.union(*map(option_ids_in, value.values()))
    return set()


def assert_options_are_own(table: Table) -> None:
    """Every option a select cell of the table shows is an option of that very field."""
    for field in Field.objects.filter(table_id=table.id, type__in=["single_select", "lookup"]):
        own = set(SelectOption.objects.filter(field_id=field.id).values_list("id", flat=True))
        if field.type == "lookup":
            target = Field.objects.get(id=field.options["target_field_id"])
            own = set(SelectOption.objects.filter(field=target).values_list("id", flat=True))
        for row in read_rows(table):
            assert option_ids_in(row[field.db_column]) <= own


def select_options(*items: tuple[str, str]) -> list[dict[str, str]]:
    return [{"value": value, "color": color} for value, color in items]


def trash(table: Table, *row_ids: int, trashed: bool = True) -> None:
    model = table_models.get_model(Table.objects.get(id=table.id))
    model.objects.filter(id__in=row_ids).update(trashed=trashed)


@pytest.fixture
def people(make_table) -> Table:
    """People: Name and a single_select Role; Ada, Alan, Grace and a trashed Gone (ids 1-4)."""
    table = make_table("People")
    add_field(table, "single_select", "Role", select_options=select_options(("Dev", "blue")))
    role = SelectOption.objects.get(field__table=table)
    name = fields_of(table)["Name"]
    ids = insert_rows(
        table,
        [
            {name.db_column: "Ada", f"field_{role.field_id}": role.id},
            {name.db_column: "Alan"},
            {name.db_column: "Grace"},
            {name.db_column: "Gone"},
        ],
    )
    assert ids == [1, 2, 3, 4]
    trash(table, 4)
    return Table.objects.get(id=table.id)


ADA, ALAN, GRACE = 1, 2, 3
ALPHA, BETA, GAMMA, TRASHED = 1, 2, 3, 4


@pytest.fixture
def projects(user, make_table, people) -> Table:
    """Projects: every kind of field; rows select options and link to people and to projects.

    Grace is linked from Alpha, then trashed; the trashed project Trashed (the highest id) is
    linked from Alpha too.
    """
    table = make_table("Projects")
    add_field(table, "number", "Amount", number_decimal_places=2)
    status = add_field(
        table,
        "single_select",
        "Status",
        select_options=select_options(("Open", "green"), ("Done", "red"), ("Later", "gray")),
    )
    tags = add_field(
        table,
        "multiple_select",
        "Tags",
        select_options=select_options(("x", "red"), ("y", "blue"), ("z", "green")),
    )
    status_ids = {o.value: o.id for o in SelectOption.objects.filter(field=status)}
    tag_ids = {o.value: o.id for o in SelectOption.objects.filter(field=tags)}
    field_update(user=user, field=status, options={"single_select_default": status_ids["Done"]})
    field_update(user=user, field=tags, options={"multiple_select_default": [tag_ids["y"]]})
    members = add_field(table, "link_row", "Members", link_row_table_id=people.id)
    add_field(table, "link_row", "Parent", link_row_table_id=table.id)
    add_field(table, "count", "Member count", through_field_id=members.id)
    person = fields_of(people)
    for name, target in (("Member names", "Name"), ("Member roles", "Role")):
        add_field(
            table,
            "lookup",
            name,
            through_field_id=members.id,
            target_field_id=person[target].id,
        )
    f = {name: field.db_column for name, field in fields_of(table).items()}
    ids = insert_rows(
        table,
        [
            {
                f["Name"]: "Alpha",
                f["Amount"]: "12.50",
                f["Status"]: status_ids["Open"],
                f["Tags"]: [tag_ids["z"], tag_ids["x"]],
                # Grace before Ada: links keep the order they were made in.
                f["Members"]: [GRACE, ADA],
            },
            {f["Name"]: "Beta", f["Tags"]: [], f["Members"]: [ALAN, ADA]},
            {f["Name"]: "Gamma", f["Status"]: None},
            {f["Name"]: "Trashed", f["Tags"]: [tag_ids["x"]], f["Members"]: [ALAN]},
        ],
    )
    assert ids == [ALPHA, BETA, GAMMA, TRASHED]
    rows_update(
        table=table,
        items=[
            {"id": ALPHA, f["Parent"]: [GAMMA, TRASHED]},
            {"id": BETA, f["Parent"]: [BETA]},
            {"id": GAMMA, f["Parent"]: [ALPHA, BETA]},
        ],
    )
    trash(people, GRACE)
    trash(table, TRASHED)
    return Table.objects.get(id=table.id)


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["Name"]: row for row in rows}


# Duplicate a table.


def test_the_fixture_reads_as_expected(projects):
    rows = by_name(cells(projects))
    assert set(rows) == {"Alpha", "Beta", "Gamma"}
    alpha = rows["Alpha"]
    assert alpha["Status"] == {"value": "Open", "color": "green"}
    assert alpha["Tags"] == [{"value": "x", "color": "red"}, {"value": "z", "color": "green"}]
    assert [link["value"] for link in alpha["Members"]] == ["Ada"]  # Grace is trashed
    assert [link["value"] for link in alpha["Parent"]] == ["Gamma"]  # Trashed is trashed
    assert alpha["Member count"] == "1"
    assert alpha["Member roles"] == [{"id": ADA, "value": {"value": "Dev", "color": "blue"}}]
    assert rows["Gamma"]["Status"] is None
    assert rows["Gamma"]["Tags"] == [{"value": "y", "color": "blue"}]  # the default
    assert [link["value"] for link in rows["Beta"]["Members"]] == ["Alan", "Ada"]


def test_a_table_copy_reads_exactly_like_the_original(user, projects):
    original = cells(projects)
    copy = table_duplicate(user=user, table_id=projects.id)
    assert cells(copy) == original
    assert cells(projects) == original
    assert_options_are_own(copy)
    assert [f.name for f in Field.objects.filter(table=copy)] == [
        f.name for f in Field.objects.filter(table=projects)
    ]


def test_references_name_the_copied_fields(user, projects, people):
    copy = table_duplicate(user=user, table_id=projects.id)
    copied, person = fields_of(copy), fields_of(people)
    assert copied["Member count"].options["through_field_id"] == copied["Members"].id
    for name, target in (("Member names", "Name"), ("Member roles", "Role")):
        options = copied[name].options
        assert options["through_field_id"] == copied["Members"].id
        assert options["target_field_id"] == person[target].id  # People was not copied
    assert copied["Parent"].link_row_table_id == copy.id
    assert copied["Members"].link_row_table_id == people.id


def test_the_copy_has_options_of_its_own(user, projects):
    original = cells(projects)
    copy = table_duplicate(user=user, table_id=projects.id)
    old, new = fields_of(projects), fields_of(copy)
    for name in ("Status", "Tags"):
        old_options = list(SelectOption.objects.filter(field=old[name]))
        new_options = list(SelectOption.objects.filter(field=new[name]))
        assert [(o.value, o.color, o.order) for o in new_options] == [
            (o.value, o.color, o.order) for o in old_options
        ]
        assert not {o.id for o in new_options} & {o.id for o in old_options}
    # Defaults name the copied options.
    done = SelectOption.objects.get(field=new["Status"], value="Done")
    y = SelectOption.objects.get(field=new["Tags"], value="y")
    assert new["Status"].options["single_select_default"] == done.id
    assert new["Tags"].options["multiple_select_default"] == [y.id]
    (new_id,) = insert_rows(copy, [{}])
    new_row = by_name(cells(copy))[None]
    assert (new_row["id"], new_row["Status"]["value"], new_row["Tags"]) == (
        new_id,
        "Done",
        [{"value": "y", "color": "blue"}],
    )

    # Renaming and deleting options of the copy leaves the original's.
    for name in ("Status", "Tags"):
        kept = SelectOption.objects.filter(field=new[name]).exclude(value="x")
        field_update(
            user=user,
            field=new[name],
            options={
                "select_options": [
                    {"id": o.id, "value": f"{o.value}!", "color": o.color} for o in kept
                ]
            },
        )
    assert cells(projects) == original
    alpha = by_name(cells(copy))["Alpha"]
    assert alpha["Status"]["value"] == "Open!"
    assert alpha["Tags"] == [{"value": "z!", "color": "green"}]


def test_the_copy_has_links_of_its_own(user, projects, people):
    copy = table_duplicate(user=user, table_id=projects.id)
    old, new = fields_of(projects), fields_of(copy)
    for name in ("Members", "Parent"):
        assert new[name].link_row_relation_id not in {
            f.link_row_relation_id for f in Field.objects.filter(type="link_row", table=projects)
        }
    # The people see the copy's links through a reverse field of their own.
    back = Field.objects.get(id=new["Members"].link_row_related_field_id)
    assert (back.table_id, back.name) == (people.id, "Projects 2")
    original_back = Field.objects.get(id=old["Members"].link_row_related_field_id)
    ada = by_name(cells(people))["Ada"]
    assert [link["value"] for link in ada["Projects 2"]] == ["Alpha", "Beta"]
    assert ada["Projects 2"] == ada[original_back.name]

    # Links to other tables keep their rows, trashed ones included.
    trash(people, GRACE, trashed=False)
    assert [link["value"] for link in by_name(cells(copy))["Alpha"]["Members"]] == [
        "Grace",
        "Ada",
    ]
    # Links to rows that were not copied (trashed) are not: a new row takes the trashed one's id.
    (new_id,) = insert_rows(copy, [{new["Name"].db_column: "New"}])
    assert new_id == TRASHED
    assert [link["value"] for link in by_name(cells(copy))["Alpha"]["Parent"]] == ["Gamma"]
    trash(projects, TRASHED, trashed=False)
    assert [link["value"] for link in by_name(cells(projects))["Alpha"]["Parent"]] == [
        "Gamma",
        "Trashed",
    ]

    # Changing the copy's links leaves the original's.
    before = by_name(cells(projects))
    rows_update(
        table=copy,
        items=[{"id": ALPHA, new["Members"].db_column: [ALAN], new["Parent"].db_column: []}],
    )
    after = by_name(cells(projects))
    assert after["Alpha"]["Members"] == before["Alpha"]["Members"]
    assert after["Alpha"]["Parent"] == before["Alpha"]["Parent"]
    alpha = by_name(cells(copy))["Alpha"]
    assert ([m["value"] for m in alpha["Members"]], alpha["Parent"], alpha["Member count"]) == (
        ["Alan"],
        [],
        "1",
    )


def test_a_link_field_of_another_table_copies_as_a_link_back(user, projects, people):
    """Duplicating People copies its reverse field of the Projects link, with its cells."""
    original = cells(people)
    copy = table_duplicate(user=user, table_id=people.id)
    assert cells(copy) == original
    back = fields_of(copy)["Projects"]
    assert back.link_row_table_id == projects.id
    forward = Field.objects.get(id=back.link_row_related_field_id)
    assert forward.table_id == projects.id
    rows = by_name(cells(projects))
    assert [link["value"] for link in rows["Beta"][forward.name]] == ["Alan", "Ada"]


# Duplicate a database.


def test_a_database_copy_links_its_own_tables_with_every_cell(user, database_app, projects, people):
    originals = {table.name: cells(table) for table in (projects, people)}
    database_copy = application_duplicate(user=user, application_id=database_app.id)
    copies = {t.name: t for t in Table.objects.filter(database=database_copy)}
    assert {name: cells(table) for name, table in copies.items()} == originals
    for table in copies.values():
        assert_options_are_own(table)

    project_fields, people_fields = fields_of(copies["Projects"]), fields_of(copies["People"])
    members = project_fields["Members"]
    assert members.link_row_table_id == copies["People"].id
    assert members.link_row_related_field_id == people_fields["Projects"].id
    assert project_fields["Parent"].link_row_table_id == copies["Projects"].id
    roles = project_fields["Member roles"].options
    assert (roles["through_field_id"], roles["target_field_id"]) == (
        members.id,
        people_fields["Role"].id,
    )

    # The copies read each other, not the originals.
    name = people_fields["Name"].db_column
    rows_update(table=copies["People"], items=[{"id": ADA, name: "Ada L."}])
    alpha = by_name(cells(copies["Projects"]))["Alpha"]
    assert [link["value"] for link in alpha["Members"]] == ["Ada L."]
    assert alpha["Member names"] == [{"id": ADA, "value": "Ada L."}]
    assert {name: cells(table) for name, table in (("Projects", projects), ("People", people))} == (
        originals
    )
    # Trashed rows were not copied, so neither were links to them.
    trash(people, GRACE, trashed=False)
    assert [m["value"] for m in by_name(cells(projects))["Alpha"]["Members"]] == ["Grace", "Ada"]
    assert [m["value"] for m in by_name(cells(copies["Projects"]))["Alpha"]["Members"]] == [
        "Ada L."
    ]


def test_fields_whose_references_broke_are_copied_broken(user, projects, people):
    """A count or lookup left without its link (or target) copies with the same error."""
    field_delete(user=user, field=fields_of(people)["Role"])
    for deleted in (None, "Members"):
        if deleted:
            field_delete(user=user, field=fields_of(projects)[deleted])
        original = cells(projects)
        copy = table_duplicate(user=user, table_id=projects.id)
        assert cells(copy) == original
        copied, fields = fields_of(copy), fields_of(projects)
        if deleted:
            for name in ("Member count", "Member names", "Member roles"):
                assert copied[name].options == fields[name].options
        else:
            roles = copied["Member roles"].options
            assert roles["through_field_id"] == copied["Members"].id
            assert roles["target_field_id"] == fields["Member roles"].options["target_field_id"]


def test_the_duplicate_endpoints_copy_every_cell(
    client_for, user, database_app, projects, people, start_job
):
    client = client_for(user)
    original = cells(projects)
    response, job = start_job(
        client, reverse("api:tables:duplicate", kwargs={"table_id": projects.id})
    )
    assert (response.status_code, job["state"]) == (202, "finished")
    copy = Table.objects.get(id=job["duplicated_table"]["id"])
    assert cells(copy) == original

    originals = {table.name: cells(table) for table in (projects, people, copy)}
    endpoint = reverse("api:applications:duplicate", kwargs={"application_id": database_app.id})
    response, job = start_job(client, endpoint)
    assert (response.status_code, job["state"]) == (202, "finished")
    database_copy = job["duplicated_application"]["id"]
    copies = Table.objects.filter(database_id=database_copy)
    assert {table.name: cells(table) for table in copies} == originals


def test_many_options_are_mapped_in_batches(user, projects, monkeypatch):
    monkeypatch.setattr(select, "MAPPING_BATCH", 1)
    original = cells(projects)
    copy = table_duplicate(user=user, table_id=projects.id)
    assert cells(copy) == original
    assert_options_are_own(copy)
