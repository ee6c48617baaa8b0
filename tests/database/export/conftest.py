"""A table with a field of every type and rows covering their kinds of values, empty ones too."""

import datetime
import io
from types import SimpleNamespace

import pytest
from PIL import Image

from database import table_models
from database.fields.models import SelectOption
from tests.database.helpers import add_field, insert_rows, primary_of
from user_files.services import user_file_upload

COLORS = [{"value": "Open", "color": "blue"}, {"value": "Closed, done", "color": "red"}]
# The types only tests register (tests/database/conftest.py), which the fixture leaves out.
TEST_ONLY_TYPES = {"test_never_primary"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png() -> io.BytesIO:
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, format="PNG")
    image.seek(0)
    return image


@pytest.fixture
def every_type(user, table, make_table):
    """`table` with a field of each type and 7 rows; the `Projects` table its links point at."""
    projects = make_table("Projects")
    budget = add_field(projects, "Budget", "number", number_decimal_places=1, number_negative=True)
    project_name = primary_of(projects).db_column
    project_ids = insert_rows(
        projects,
        [
            {project_name: "Alpha", budget.db_column: "1.5"},
            {project_name: 'Beta, "B"', budget.db_column: None},
            {project_name: None, budget.db_column: "-2.0"},
        ],
    )
    f = SimpleNamespace(
        name=primary_of(table),
        notes=add_field(table, "Notes", "long_text"),
        url=add_field(table, "Site", "url"),
        email=add_field(table, "Email", "email"),
        phone=add_field(table, "Phone", "phone_number"),
        amount=add_field(table, "Amount", "number", number_decimal_places=2, number_negative=True),
        count_of=add_field(table, "Units", "number"),
        done=add_field(table, "Done", "boolean"),
        stars=add_field(table, "Stars", "rating", max_value=5),
        day=add_field(table, "Day", "date", date_format="EU"),
        due=add_field(table, "Due", "date", date_include_time=True, date_format="ISO"),
        local=add_field(
            table,
            "Local",
            "date",
            date_include_time=True,
            date_format="US",
            date_time_format="12",
            date_force_timezone="Pacific/Auckland",
            date_show_tzinfo=True,
        ),
        spent=add_field(table, "Spent", "duration", duration_format="h:mm:ss"),
        status=add_field(table, "Status", "single_select", select_options=COLORS),
        tags=add_field(table, "Tags", "multiple_select", select_options=COLORS),
        files=add_field(table, "Files", "file"),
        link=add_field(table, "Projects", "link_row", link_row_table_id=projects.id),
        number=add_field(table, "Number", "autonumber"),
        created=add_field(table, "Created", "created_on", date_include_time=True),
        changed=add_field(
            table, "Changed", "last_modified", date_format="US", date_force_timezone="Asia/Tokyo"
        ),
    )
    f.linked = add_field(table, "Linked", "count", through_field_id=f.link.id)
    f.budgets = add_field(
        table, "Budgets", "lookup", through_field_id=f.link.id, target_field_id=budget.id
    )
    status = list(SelectOption.objects.filter(field=f.status).order_by("order"))
    tags = list(SelectOption.objects.filter(field=f.tags).order_by("order"))
    doc = user_file_upload(user=user, file=io.BytesIO(b"text"), original_name="notes.txt")
    image = user_file_upload(user=user, file=_png(), original_name="red.png")
    texts = [
        "Ada",
        None,
        " padded ",
        'Quote " and, comma',
        "two\nlines",
        "Zoë 中文 ☃",
        "<b>&amp;</b>",
    ]
    rows = []
    for k, text in enumerate(texts):
        rows.append(
            {
                f.name.db_column: text,
                f.notes.db_column: None if k % 3 == 0 else f"line one\nline two {k}\ttab",
                f.url.db_column: f"https://example.com/{k}?a=1&b=2" if k % 2 else None,
                f.email.db_column: f"a{k}@example.com" if k % 3 else None,
                f.phone.db_column: "+44 20 7946 0000" if k % 2 else None,
                f.amount.db_column: [None, "-0.50", "3.14", "1234567.89", "0", "-7", "0.05"][k],
                f.count_of.db_column: None if k == 4 else k * 1000,
                f.done.db_column: k % 2 == 0,
                f.stars.db_column: k % 6,
                f.day.db_column: None if k % 4 == 0 else f"2020-02-{k % 29 + 1:02d}",
                f.due.db_column: None if k == 2 else f"2026-12-{k + 1:02d}T10:{k:02d}:30.25Z",
                f.local.db_column: None if k == 3 else f"2024-06-30T{k + 10:02d}:05:00Z",
                f.spent.db_column: None if k == 5 else k * 3661,
                f.status.db_column: [None, status[0].id, status[1].id][k % 3],
                f.tags.db_column: [[], [tags[1].id, tags[0].id], [tags[0].id]][k % 3],
                f.files.db_column: [
                    [],
                    [{"name": doc.name, "visible_name": 'Doc, "1"'}],
                    [{"name": image.name}, {"name": doc.name}],
                ][k % 3],
                f.link.db_column: project_ids[: k % 4],
            }
        )
    ids = insert_rows(table, rows)
    # Other timestamps for one row (late in the day: its date differs in other zones).
    moment = datetime.datetime(2021, 3, 4, 23, 30, 15, 123000, tzinfo=datetime.UTC)
    model = table_models.get_model(table)
    model.objects.filter(id=ids[0]).update(created_on=moment, updated_on=moment)
    return SimpleNamespace(fields=f, ids=ids, projects=projects)
