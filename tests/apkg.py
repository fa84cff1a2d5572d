"""Open an Anki package the way Anki does: a zip holding a SQLite collection."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Note:
    id: int
    guid: str
    model_id: int
    fields: list[str]
    tags: list[str]
    mod: int


@dataclass
class Collection:
    notes: list[Note]
    cards: list[tuple[int, int, int]]  # (note id, template ordinal, deck id)
    decks: dict[int, dict[str, Any]]
    models: dict[int, dict[str, Any]]
    names: list[str]  # the zip's members

    def field(self, note: Note, name: str) -> str:
        names = [f["name"] for f in self.models[note.model_id]["flds"]]
        return note.fields[names.index(name)]

    def by_id(self, content_id: str) -> Note:
        return next(n for n in self.notes if self.field(n, "Id") == content_id)

    def ids(self) -> set[str]:
        return {self.field(n, "Id") for n in self.notes}

    def deck_named(self, name: str) -> dict[str, Any]:
        return next(d for d in self.decks.values() if d["name"] == name)


def read_apkg(data: bytes) -> Collection:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        database = archive.read("collection.anki2")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(database)
        connection = sqlite3.connect(path)
        try:
            notes = [
                Note(nid, guid, mid, flds.split("\x1f"), tags.split(), mod)
                for nid, guid, mid, flds, tags, mod in connection.execute(
                    "SELECT id, guid, mid, flds, tags, mod FROM notes ORDER BY id"
                )
            ]
            cards = list(connection.execute("SELECT nid, ord, did FROM cards ORDER BY nid, ord"))
            decks_json, models_json = connection.execute("SELECT decks, models FROM col").fetchone()
        finally:
            connection.close()
    decks = {int(k): v for k, v in json.loads(decks_json).items()}
    models = {int(k): v for k, v in json.loads(models_json).items()}
    return Collection(notes, cards, decks, models, names)
