"""`python -m kpi import|report FILE...` (docs/report-command.md); `load --to URL FILE...`
and `report --source URL` (docs/scale-out.md); `users ...` (docs/sharing.md);
`tables`: what each table needs (docs/tables.md).

Files go through the same `Workspace.add_file` as the app's Data page, so the
command and the app always agree. Bad input exits 2 with one line on stderr,
never a traceback: "error: " then a message code (kpi/texts/messages.toml)
rendered in --lang.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from kpi import users_cli
from kpi.i18n import DEFAULT_LANGUAGE, LANGUAGES
from kpi.ingest import IngestError, all_rejected_message
from kpi.messages import InvalidValue, Message, MessageError, cannot_read, msg, render
from kpi.schema import FIELDS, TABLES, FileReport, Filters, TableKind, tables_markdown
from kpi.workspace import MappingFile, Workspace, currency_code

EXIT_BAD_INPUT = 2

# `load --replace` with no table named: every table the files fill.
_EVERY_TABLE = "all"

# --deals F, --leads F...: load F as that table.
FORCE_OPTIONS = {spec.cli_option: kind for kind, spec in TABLES.items()}


class BadInput(MessageError):
    """A problem with what the user gave us: one line on stderr, exit 2."""


class _BadValue(MessageError, argparse.ArgumentTypeError):
    """An option's value refused by its `type=` function (argparse names the option)."""


class _Parser(argparse.ArgumentParser):
    """Errors as BadInput: argparse's own text as a parameter, ours as their Message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, exit_on_error=False, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().parse_args(*args, **kwargs)
        except argparse.ArgumentError as exc:
            # argparse raises this while handling the `type=` function's _BadValue.
            if isinstance(exc.__context__, _BadValue) and exc.argument_name:
                raise BadInput(msg("cli.option", option=exc.argument_name,
                                   problem=exc.__context__.message)) from None
            raise BadInput(msg("cli.usage", problem=str(exc))) from None

    def error(self, message: str) -> NoReturn:  # argparse would exit with status 2 already
        raise BadInput(msg("cli.usage", problem=message))


def requested_language(argv: Sequence[str]) -> str:
    """--lang's value, read before parsing: an error in any argument speaks it."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    try:
        return parser.parse_known_args(argv)[0].lang
    except (argparse.ArgumentError, SystemExit):
        return DEFAULT_LANGUAGE


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadValue(msg("cli.not_a_date", value=text)) from None


FIELD_NAMES = sorted({spec.name for specs in FIELDS.values() for spec in specs})


def _column_rule(text: str) -> tuple[str, str]:
    """--map "SOURCE HEADER=field" -> (header, field)."""
    header, equals, name = text.rpartition("=")
    if not equals or not header.strip():
        raise _BadValue(msg("cli.not_a_rule", value=text))
    if name.strip() not in FIELD_NAMES:
        raise _BadValue(msg("cli.not_a_field", value=name.strip(), fields=FIELD_NAMES))
    return header.strip(), name.strip()


def _currency(text: str) -> str:
    try:
        return currency_code(text)
    except InvalidValue as exc:
        raise _BadValue(exc.message) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m kpi", description="Sales KPI Explorer on the command line.")
    commands = parser.add_subparsers(dest="command", required=True)

    def add_files(command: argparse.ArgumentParser) -> None:
        command.add_argument("files", nargs="*", metavar="FILE",
                             help="exports to load; each file's table is recognised")
        for option, kind in FORCE_OPTIONS.items():
            command.add_argument(f"--{option}", action="append", default=[], metavar="F",
                                 help=f"load F as the {kind.value} table")
        command.add_argument("--format", choices=("json", "text"), default="json")
        command.add_argument("--map", dest="maps", action="append", default=[],
                             type=_column_rule, metavar='"SOURCE HEADER=field"',
                             help="read that column as that field in every file that has it")
        command.add_argument("--mapping", type=Path, metavar="FILE",
                             help="the mappings downloaded from the Data page (JSON)")
        command.add_argument("--default-currency", type=_currency, metavar="CODE",
                             help="currency of amounts that carry none (default: EUR)")
        command.add_argument("--lang", choices=("en", "fr"), default="en",
                             help="language of the text format and of errors (JSON stays "
                                  "in English)")

    importer = commands.add_parser("import", help="print the import report")
    add_files(importer)

    report = commands.add_parser("report", help="compute every KPI")
    add_files(report)
    report.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD")
    report.add_argument("--rep", action="append", default=[], metavar="NAME")
    report.add_argument("--channel", action="append", default=[], metavar="ID")
    report.add_argument("--min-closed", type=int, default=10)
    report.add_argument("--target-multiple", type=float, default=3.0)
    report.add_argument("--social-channel", default="linkedin")
    report.add_argument("--currency", type=_currency, metavar="CODE",
                        help="ISO code of the deals to report on (default: the currency "
                             "with the most won revenue)")

    report.add_argument("--source", metavar="URL",
                        help="compute on this warehouse instead of FILEs (postgresql://..., "
                             "spark://HOST:PORT?lake=PATH, spark+local://?lake=PATH; "
                             "docs/scale-out.md)")
    report.add_argument("--schema", default="public",
                        help="the warehouse schema (--source; Spark: the lake's folder)")

    load = commands.add_parser("load", help="import FILEs into a warehouse (PostgreSQL, Spark)")
    add_files(load)
    load.add_argument("--to", required=True, metavar="URL",
                      help="postgresql://[user@]host/database (password: PGPASSWORD), "
                           "spark://HOST:PORT?lake=PATH or spark+local://?lake=PATH")
    load.add_argument("--schema", default="public",
                      help="the schema to write (created; Spark: the lake's folder)")
    load.add_argument("--replace", action="append", nargs="?", const=_EVERY_TABLE,
                      choices=[_EVERY_TABLE, *(kind.value for kind in TABLES)], metavar="TABLE",
                      help="replace the table's rows (every table the files fill when no "
                           "TABLE is named) instead of appending")

    users_cli.add_parser(commands)  # users add|hash (docs/sharing.md)
    commands.add_parser("tables", help="what each table needs: field names, --<table> options")
    return parser


def load_files(args: argparse.Namespace) -> Workspace:
    """Load every file into a fresh workspace; the first unusable one stops the run, and
    so does a file whose every row was rejected."""
    workspace = Workspace(one_shot=True)
    _use_mappings(workspace, args)
    jobs: list[tuple[str, TableKind | None]] = [(f, None) for f in args.files]
    for option, kind in FORCE_OPTIONS.items():
        jobs += [(f, kind) for f in getattr(args, option)]
    if not jobs:
        raise BadInput(msg("cli.no_file"))
    for path_text, kind in jobs:
        path = Path(path_text)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BadInput(cannot_read(path_text, exc)) from exc
        try:
            report = workspace.add_file(data, path.name, kind=kind)
        except IngestError as exc:
            raise BadInput(exc.message) from exc
        failed = all_rejected_message(report)
        if failed:
            raise BadInput(failed)
    return workspace


def _use_mappings(workspace: Workspace, args: argparse.Namespace) -> None:
    """--mapping FILE first, then --map and --default-currency over it."""
    if args.mapping is not None:
        saved = _mapping_file(args.mapping)
        workspace.saved_mappings = saved.columns
        workspace.mappings = saved.value_mappings()
    workspace.column_overrides = dict(args.maps)
    if args.default_currency:
        workspace.mappings.currency = args.default_currency


def _mapping_file(path: Path) -> MappingFile:
    try:
        return MappingFile.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise BadInput(cannot_read(path, exc)) from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        problem = _problem(error)
        if where:
            problem = msg("cli.at", where=where, problem=problem)
        raise BadInput(msg("cli.not_a_mapping_file", file=str(path), problem=problem)) from exc


def _problem(error: Any) -> Message:
    """One pydantic error: our validator's Message, a limit of ours, else pydantic's text."""
    context = error.get("ctx") or {}
    if isinstance(context.get("error"), InvalidValue):
        return context["error"].message
    if error["type"] == "greater_than_equal":
        return msg("cli.at_least", limit=_whole(context["ge"]))
    if error["type"] == "greater_than":
        return msg("cli.above", limit=_whole(context["gt"]))
    return msg("cli.usage", problem=error["msg"])


def _whole(limit: float) -> float:
    """A float field's limit 0 reads 0, not 0.0."""
    return int(limit) if float(limit).is_integer() else limit


def import_report(workspace: Workspace, lang: str = "en") -> list[dict]:
    """Each file's report with its messages as text in `lang`, each beside its code
    (docs/report-command.md: `reason` and `reason_code`, `notes` and `note_codes`...)."""
    return [_with_texts(report, lang) for report in workspace.reports]


def _with_texts(report: FileReport, lang: str) -> dict:
    def text(message: Message | None) -> str | None:
        return None if message is None else render(message, lang)

    def code(message: Message | None) -> str | None:
        return None if message is None else message.code

    out = report.model_dump(mode="json")
    for row, reject in zip(out["rejects"], report.rejects, strict=True):
        row.update(reason=text(reject.reason), reason_code=code(reject.reason))
    for row, column in zip(out["columns"], report.columns, strict=True):
        row.update(note=text(column.note), note_code=code(column.note))
    out.update(notes=[text(m) for m in report.notes], note_codes=[code(m) for m in report.notes],
               warnings=[text(m) for m in report.warnings],
               warning_codes=[code(m) for m in report.warnings],
               error=text(report.error), error_code=code(report.error))
    return out


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "users":
        return users_cli.run(args)
    if args.command == "tables":
        print(tables_markdown())
        return 0
    if args.command == "report" and args.source:
        return _report_from_source(args)
    workspace = load_files(args)
    if args.command == "load":
        return _load_warehouse(workspace, args)
    # The JSON contract is English (docs/report-command.md); the text speaks --lang.
    lang = "en" if args.format == "json" else args.lang
    if args.command == "import":
        files = import_report(workspace, lang)
        if args.format == "json":
            print(json.dumps({"import": files}, indent=2, ensure_ascii=False))
        else:
            from kpi.report_text import import_text

            print(import_text(files, lang))
        return 0
    from kpi.metrics import compute_report

    report = compute_report(workspace.con, _filters(args))
    report["import"] = import_report(workspace, lang)
    _print_report(report, args)
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    try:
        filters = Filters(
            date_from=args.date_from, date_to=args.date_to, reps=args.rep,
            channels=args.channel, min_closed=args.min_closed,
            target_multiple=args.target_multiple, social_channel=args.social_channel,
            currency=args.currency,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        option = "--" + "-".join(str(part) for part in error["loc"]).replace("_", "-")
        raise BadInput(msg("cli.option", option=option, problem=_problem(error))) from exc
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise BadInput(msg("cli.from_after_to"))
    return filters


def _print_report(report: dict, args: argparse.Namespace) -> None:
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        from kpi.report_text import report_text

        print(report_text(report, args.lang))


def _report_from_source(args: argparse.Namespace) -> int:
    """The report computed by the warehouse at --source (no file is read)."""
    from kpi.metrics import compute_report
    from kpi.warehouse import WarehouseError
    from kpi.warehouse.sources import open_engine

    if args.files or any(getattr(args, option) for option in FORCE_OPTIONS):
        raise BadInput(msg("cli.files_or_source"))
    filters = _filters(args)
    try:
        engine = open_engine(args.source, args.schema)
        try:
            report = compute_report(engine, filters)
        finally:
            engine.close()
    except WarehouseError as exc:
        raise BadInput(exc.message) from exc
    report["import"] = []
    _print_report(report, args)
    return 0


def _load_warehouse(workspace: Workspace, args: argparse.Namespace) -> int:
    """Write the tables the files filled to --to; print the import report and the load."""
    from kpi.warehouse import WarehouseError
    from kpi.warehouse.sources import load_into

    filled = {report.table for report in workspace.reports
              if report.table is not None and report.rows_accepted}
    replace = set(TABLES) if _EVERY_TABLE in (args.replace or []) else {
        kind for kind in TABLES if kind.value in (args.replace or [])}
    try:
        loaded = load_into(workspace.con, args.to, [r.file for r in workspace.reports],
                           filled, replace, args.schema)
    except WarehouseError as exc:
        raise BadInput(exc.message) from exc
    tables = {name: load.model_dump() for name, load in loaded.items()}
    out = {"import": import_report(workspace),
           "load": {"schema": args.schema, "tables": tables}}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return run(argv)
    except (BadInput, users_cli.UsersError) as exc:
        # "error: " stays English whatever --lang: scripts look for it.
        print(f"error: {render(exc.message, requested_language(argv))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


class _WithoutPandas:
    """An import finder that runs the command as if pandas were not installed.

    pyarrow imports pandas (~0.2 s, a tenth of a 1M-row report) the first time
    it converts a Python value, only to ask whether the value is a pandas
    object; a command never has one, and pyarrow and DuckDB work without it.
    """

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


if __name__ == "__main__":
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _WithoutPandas())
    sys.exit(main())
