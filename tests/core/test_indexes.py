"""Every foreign key, and every column a list page filters on, leads an index: joins, cascades and filtered
lists stay index lookups as the tables grow (the load benchmark in bench/ runs them at 10,000 dossiers)."""
from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

from honours import models  # noqa: F401  (every table registered)
from honours.core.db import db

# (table, column): the filters of list pages and of the queries behind them.
LIST_FILTERS = [
    ("dossier", "round_id"),          # a round's dossiers: inbox filter, results, assignments, publication
    ("dossier", "state"),             # inbox filter, public list (published)
    ("dossier", "organisation_id"),   # nominator's list, inbox filter
    ("dossier", "field_id"),          # inbox filter
    ("dossier", "name_folded"),       # duplicate check
    ("score_sheet", "dossier_id"),
    ("score_sheet", "reviewer_id"),   # a member's own sheets
    ("score_sheet", "status"),        # submitted sheets of a round
    ("review_assignment", "reviewer_id"),  # "my dossiers"
    ("review_assignment", "dossier_id"),
    ("council_member", "round_id"),
    ("round", "year"),                # public year pages
    ("user", "role"),                 # account list, council candidates
    ("organisation", "org_type"),     # organisation list filter
    ("audit_entry", "entity_type"),   # a record's history
    ("outbox_message", "status"),     # due messages
    ("login_throttle", "last_at"),    # forgetting quiet runs
]


def leading_columns(table) -> set[str]:
    """Columns that are the first column of an index, the primary key or a unique constraint."""
    leading = {index.columns[0].name for index in table.indexes if index.columns}
    for constraint in table.constraints:
        if isinstance(constraint, (PrimaryKeyConstraint, UniqueConstraint)) and constraint.columns:
            leading.add(list(constraint.columns)[0].name)
    leading |= {column.name for column in table.columns if column.unique}
    return leading


def test_every_foreign_key_leads_an_index():
    missing = sorted(f"{table.name}.{fk.parent.name}" for table in db.metadata.sorted_tables
                     for fk in table.foreign_keys if fk.parent.name not in leading_columns(table))
    assert not missing, ("foreign keys without an index (add index=True, or an Index whose first column it is): "
                         + ", ".join(missing))


def test_list_filters_are_indexed():
    tables = db.metadata.tables
    missing = [f"{t}.{c}" for t, c in LIST_FILTERS if c not in leading_columns(tables[t])]
    assert not missing, "list filters without an index: " + ", ".join(missing)


def test_the_check_sees_a_missing_index():
    """The check itself: a foreign key with no index is reported, one with an index is not."""
    from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, Table

    metadata = MetaData()
    Table("parent", metadata, Column("id", Integer, primary_key=True))
    bare = Table("child", metadata, Column("id", Integer, primary_key=True),
                 Column("parent_id", ForeignKey("parent.id")), Column("other_id", ForeignKey("parent.id")))
    Index("ix_child_other", bare.c.other_id, bare.c.parent_id)
    assert "other_id" in leading_columns(bare)
    assert "parent_id" not in leading_columns(bare)  # second column of a composite index does not count
