"""The journal of remote work: intent before the submit, the job id after, gone when done."""

from __future__ import annotations

from pathlib import Path

import pytest

from wixloc.errors import ConfigError
from wixloc.site.journal import Journal


def test_a_record_lives_from_intent_to_close(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    record = journal.begin("push", "wixloc push [abc]", {"files": ["translations/content.de.po"]})
    (pending,) = journal.pending()
    assert (pending.kind, pending.name, pending.job_id) == ("push", "wixloc push [abc]", None)
    assert pending.data == {"files": ["translations/content.de.po"]}
    journal.submitted(record, "job-1")
    journal.update(record, upload="sha256:00")
    (pending,) = Journal(tmp_path).pending()  # a new command reads what the old one wrote
    assert pending.job_id == "job-1"
    assert pending.data == {"files": ["translations/content.de.po"], "upload": "sha256:00"}
    journal.close(record)
    assert journal.pending() == []


def test_records_come_oldest_first(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    first = journal.begin("push", "one", {})
    journal.begin("import", "two", {})
    assert [r.name for r in journal.pending()] == ["one", "two"]
    journal.close(first)
    assert [r.name for r in journal.pending()] == ["two"]


def test_no_folder_means_nothing_pending(tmp_path: Path) -> None:
    assert Journal(tmp_path / "absent").pending() == []


def test_a_damaged_record_is_a_clear_error(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    record = journal.begin("push", "one", {})
    assert record.path is not None
    record.path.write_text('{"version": 1, "kind": "push"}', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        journal.pending()
    assert str(caught.value) == (
        f"journal/{record.path.name}: a journal record is damaged ('name') "
        "(look the job up with 'wixloc jobs list', then delete the record)"
    )


def test_no_temporary_file_is_left_beside_the_records(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    record = journal.begin("push", "one", {"a": 1})
    journal.submitted(record, "job")
    assert [p.name for p in journal.folder.iterdir()] == [record.path.name if record.path else ""]
