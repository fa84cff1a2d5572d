"""Questions carry only tags from content/tags.yaml, so the bank has one spelling per tag."""

from pathlib import Path

from django.conf import settings

from questions.content.tree import read_tree


def messages(root: Path) -> list[str]:
    return [str(problem) for problem in read_tree(root).problems]


def retag(content_dir: Path, tags: str) -> Path:
    path = content_dir / "questions/metrics/metrics-single.md"
    path.write_text(path.read_text().replace("tags: [screening]", f"tags: [{tags}]"))
    return path


def test_an_unknown_tag_is_reported_on_its_line_with_the_nearest_spelling(content_dir):
    path = retag(content_dir, "screenings")
    assert messages(content_dir) == [
        f"{path}:6: unknown tag 'screenings'; did you mean 'screening'? If it is a new tag, "
        "add it to content/tags.yaml with a one-line description"
    ]


def test_a_tag_with_nothing_close_is_reported_without_a_guess(content_dir):
    path = retag(content_dir, "radiogenomics")
    [message] = messages(content_dir)
    assert message.startswith(f"{path}:6: unknown tag 'radiogenomics'. If it is a new tag")


def test_an_alias_names_the_spelling_the_site_uses(content_dir):
    (content_dir / "tags.yaml").write_text(
        "- {tag: screening, description: Testing people without symptoms.}\n"
        "- {tag: normalisation, description: Common scale., aliases: [normalization]}\n"
    )
    path = retag(content_dir, "screening, normalization")
    assert messages(content_dir) == [
        f"{path}:6: tag 'normalization' is spelled 'normalisation' on this site "
        "(tags.yaml lists 'normalization' as its alias): use 'normalisation'"
    ]


def test_a_spelling_listed_twice_in_the_vocabulary_is_reported(content_dir):
    (content_dir / "tags.yaml").write_text(
        "- {tag: screening, description: Testing people without symptoms.}\n"
        "- {tag: triage, description: Sorting cases by urgency., aliases: [screening]}\n"
    )
    found = messages(content_dir)
    assert any(
        "tags.yaml:2: 'screening' is already listed (tag 'screening', line 1)" in m for m in found
    ), found


def test_an_entry_without_a_description_is_reported_on_its_line(content_dir):
    (content_dir / "tags.yaml").write_text(
        "- {tag: screening, description: Testing people without symptoms.}\n- {tag: triage}\n"
    )
    found = messages(content_dir)
    assert any("tags.yaml:2: tag 'triage' needs a one-line description" in m for m in found)


def test_a_missing_vocabulary_is_reported_once(content_dir):
    (content_dir / "tags.yaml").unlink()
    found = messages(content_dir)
    assert [m for m in found if "tags.yaml" in m] == [
        f"{content_dir / 'tags.yaml'}:1: tags.yaml is missing: it lists every tag a question "
        "may use"
    ]
    assert not any("unknown tag" in m for m in found)


def test_the_bank_has_one_spelling_per_tag():
    """No two tags of the real bank differ only by British/American spelling or a plural."""
    tree = read_tree(Path(settings.CONTENT_DIR))
    names = set(tree.tags)
    assert not tree.problems
    for name in names:
        assert (
            name.replace("isation", "ization") == name
            or name.replace("isation", "ization") not in names
        ), name
        assert f"{name}s" not in names, name
    for pair in [("normalisation", "normalization"), ("harmonisation", "harmonization")]:
        assert pair[0] in names and pair[1] not in names
    assert "loss-functions" not in names and "pipelines" not in names


def test_an_unknown_tag_in_a_block_list_is_reported_on_its_own_line(content_dir):
    path = content_dir / "questions/metrics/metrics-single.md"
    path.write_text(
        path.read_text().replace("tags: [screening]", "tags:\n  - screening\n  - screenings")
    )
    [message] = messages(content_dir)
    assert message.startswith(f"{path}:8: unknown tag 'screenings'")


def test_an_alias_that_repeats_its_own_tag_is_reported_on_its_line(content_dir):
    (content_dir / "tags.yaml").write_text(
        "- tag: screening\n"
        "  description: Testing people without symptoms.\n"
        "  aliases:\n"
        "    - screen\n"
        "    - screening\n"
    )
    assert messages(content_dir) == [
        f"{content_dir / 'tags.yaml'}:5: tag 'screening' lists itself as an alias: an alias "
        "is another spelling; remove 'screening' from its aliases"
    ]


def test_an_alias_listed_twice_in_one_entry_is_reported(content_dir):
    (content_dir / "tags.yaml").write_text(
        "- {tag: screening, description: Testing people without symptoms., aliases: [scr, scr]}\n"
    )
    assert messages(content_dir) == [
        f"{content_dir / 'tags.yaml'}:1: the aliases of 'screening' list 'scr' twice: keep one"
    ]
