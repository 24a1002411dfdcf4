"""The GitHub workflows and issue forms, checked like code: GitHub's schemas (check-jsonschema's built-in copies,
offline), the zizmor security audit (offline, with the policy in zizmor.yml), and the rules the suggestion
workflow must keep: the maintainer's label, least permissions, and no issue text in a shell command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from edition import suggestion

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
SUGGESTION = ROOT / ".github" / "workflows" / "suggestion.yml"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    return {("on" if k is True else k): v for k, v in data.items()}


def zizmor(*args: str, cwd: Path = ROOT) -> list[dict]:
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--format", "json", *args], capture_output=True, text=True, cwd=cwd)
    assert result.stdout.strip().startswith("["), f"zizmor did not run: {result.stderr[-2000:]}"
    return json.loads(result.stdout)


def test_there_are_workflows_and_forms_to_check():
    assert SUGGESTION in WORKFLOWS and len(WORKFLOWS) >= 4
    assert {p.name for p in FORMS} >= {suggestion.FORM, suggestion.CORRECTION_FORM}


@pytest.mark.parametrize("schema, files", [("vendor.github-workflows", WORKFLOWS), ("vendor.github-issue-forms", FORMS)], ids=["workflows", "issue-forms"])
def test_files_validate_against_githubs_schemas(schema, files):
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_form(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\ndescription: y\nbody:\n  - type: input\n    id: a\n", encoding="utf-8")  # input without a label
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1


def test_zizmor_finds_nothing_in_the_workflows():
    findings = zizmor(".github/workflows/")
    assert findings == [], "\n".join(f"{f['ident']}: {f['desc']} ({f['locations'][0]['symbolic']['key']})" for f in findings)


def test_zizmor_catches_issue_text_in_a_shell_command(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on:\n  issues:\n    types: [labeled]\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    permissions: {}\n"
        "    steps:\n      - run: echo \"${{ github.event.issue.body }}\"\n", encoding="utf-8")
    assert "template-injection" in {f["ident"] for f in zizmor("--no-config", str(bad), cwd=tmp_path)}


def test_no_workflow_interpolates_an_expression_into_a_shell_command():
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), f"{path.name}: pass values to `run:` through env, not ${{{{ }}}}: {step['run'][:80]}"


def test_every_checkout_drops_its_credentials():
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: checkout keeps its token"


def test_every_workflow_grants_no_permission_at_the_top_and_names_each_jobs():
    for path in WORKFLOWS:
        data = load(path)
        assert data.get("permissions") == {}, f"{path.name}: set 'permissions: {{}}' at the top"
        for name, job in data["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} needs its own permissions block"


def test_the_suggestion_workflow_acts_only_on_the_maintainers_label_with_least_permissions():
    data = load(SUGGESTION)
    assert data["on"] == {"issues": {"types": ["labeled"]}}
    jobs = data["jobs"]
    condition = jobs["draft"]["if"]
    assert "github.event.label.name == 'accepted'" in condition
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / suggestion.FORM).read_text(encoding="utf-8"))
    assert f"contains(github.event.issue.labels.*.name, '{form['labels'][0]}')" in condition
    for name, job in jobs.items():
        if name != "draft":
            assert job.get("needs") == "draft" and "needs.draft.outputs.result" in job["if"], f"job {name} must run only after the draft"
    writers = {name: job["permissions"] for name, job in jobs.items()}
    assert writers["draft"] == {"contents": "read"}
    assert writers["open-pull-request"] == {"contents": "write", "pull-requests": "write"}
    assert writers["refuse"] == {"issues": "write"}
    # The issue's text reaches Python only through the event file.
    runs = " ".join(step.get("run", "") for job in jobs.values() for step in job.get("steps", []))
    assert 'python -m edition.suggestion "$GITHUB_EVENT_PATH"' in runs


def test_the_form_and_the_converter_agree_on_every_field():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / suggestion.FORM).read_text(encoding="utf-8"))
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    assert {k: f["attributes"]["label"] for k, f in fields.items()} == suggestion.LABELS
    required = {k for k, f in fields.items() if f.get("validations", {}).get("required")}
    assert required == set(suggestion.REQUIRED) - {"standard"}
    assert fields["standard"]["attributes"]["options"][0]["required"] is True
    assert fields["kind"]["attributes"]["options"] == list(suggestion.KINDS)
    correction = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / suggestion.CORRECTION_FORM).read_text(encoding="utf-8"))
    assert "permalink" in {item.get("id") for item in correction["body"]}


def test_the_form_prefill_parameters_are_the_forms_field_ids():
    # suggest.js builds the form's URL from these ids: a renamed field would silently stop being filled in.
    script = (ROOT / "src" / "edition" / "static" / "suggest.js").read_text(encoding="utf-8")
    used = set(re.findall(r'params\.set\("([a-z]+)"', script))
    assert used - {"template", "title"} == {"exact", "prefix", "suffix", "place", "page"}
    assert f'"{suggestion.FORM}"' in script


PAGES = ROOT / ".github" / "workflows" / "pages.yml"
PREVIEW = ROOT / ".github" / "workflows" / "preview.yml"


def test_a_pull_request_is_built_read_only_and_its_site_kept_as_a_preview():
    data = load(PAGES)
    assert "pull_request" in data["on"] and "pull_request_target" not in data["on"]
    build = data["jobs"]["build"]
    assert build["permissions"] == {"contents": "read"}
    keep = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert keep["if"] == "github.event_name == 'pull_request'"
    assert keep["with"]["name"] == "site-preview" and keep["with"]["path"] == "_build/html"
    assert data["jobs"]["deploy"]["if"].endswith("github.event_name != 'pull_request'")


def test_the_preview_link_is_commented_by_a_workflow_that_never_runs_the_pull_requests_code():
    pages, data = load(PAGES), load(PREVIEW)
    assert data["on"] == {"workflow_run": {"workflows": [pages["name"]], "types": ["completed"]}}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"] and "conclusion == 'success'" in job["if"]
    for step in job["steps"]:
        # Nothing of the pull request reaches this job: no checkout, no artifact downloaded, nothing run from the workspace.
        assert "uses" not in step, f"preview.yml: {step['uses']} is not needed to comment a link"
        assert not re.search(r"\b(make|python|pip|bash|sh|npm|source)\b|\./", step["run"]), step["run"]
        assert "site-preview" in step["run"] and "gh pr comment" in step["run"]
    # Only values GitHub sets reach the shell (a branch name or a title could carry a command).
    assert set(re.findall(r"github\.[\w.]+", str(job["steps"][0]["env"]))) == {
        "github.token", "github.repository", "github.event.workflow_run.id", "github.event.workflow_run.head_sha", "github.server_url"}


def test_the_only_silenced_zizmor_finding_is_the_previews_workflow_run_trigger():
    ignores = [(path.name, line) for path in WORKFLOWS for line in path.read_text(encoding="utf-8").splitlines() if "zizmor: ignore" in line]
    assert ignores == [("preview.yml", next(line for _, line in ignores))]
    assert "ignore[dangerous-triggers]" in ignores[0][1] and "runs nothing of the pull request" in ignores[0][1]
