"""The `kyphocare` command.

kyphocare demo [--port 8000] [--data-dir DIR]   sample clinic on embedded SQLite, web + worker
kyphocare serve [--bind ADDR] [--workers N]      production web server (gunicorn)
kyphocare worker                                 background-task worker
kyphocare migrate                                apply database migrations
kyphocare createadmin --email E --name N         a system administrator (Django admin)
kyphocare check                                  configuration, database, deploy checks
kyphocare manage ARGS...                         any of Django's own commands
kyphocare assess|grade|score|triage|plan|codes   the clinical command line (JSON in, JSON out)
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

CLINICAL_COMMANDS = ("assess", "grade", "score", "triage", "plan", "codes")
DEMO_PASSWORD = "kyphocare-demo"  # noqa: S105 — printed on purpose; refused in production


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyphocare.settings")
    import django

    django.setup()


def _sub_env() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "kyphocare.settings"}


def _gunicorn_command(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "kyphocare.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "60",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def cmd_demo(args: argparse.Namespace) -> int:
    if os.environ.get("KYPHOCARE_ENV", "").lower() == "production":
        return _fail("demo accounts are refused when KYPHOCARE_ENV=production.")
    if not 1 <= args.port <= 65535:
        return _fail(f"--port: {args.port} is not a port number (1–65535).")
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["KYPHOCARE_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'kyphocare.sqlite3'}"
    os.environ.setdefault("SITE_URL", f"http://{args.host}:{args.port}")
    if not args.setup_only and not _port_free(args.host, args.port):
        return _fail(f"--port: {args.port} is already in use on {args.host}; choose another.")
    _setup_django()
    from django.core.management import call_command

    from kyphocare import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    demo.load()
    url = f"http://{args.host}:{args.port}/"
    print(demo.banner(url, DEMO_PASSWORD), flush=True)
    if args.setup_only:
        return 0
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "kyphocare.cli", "worker"], env=_sub_env()
    )
    web = subprocess.Popen(  # noqa: S603
        _gunicorn_command(f"{args.host}:{args.port}", 2), env=_sub_env()
    )

    def stop(*_: object) -> None:
        for process in (web, worker):
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
        worker.wait(timeout=15)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    os.execv(  # noqa: S606
        sys.executable, _gunicorn_command(args.bind, args.workers)
    )
    return 0  # pragma: no cover


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("db_worker", *args.rest)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False)
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    import getpass

    _setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from kyphocare.accounts.models import Clinic, Membership, Role, User

    email = args.email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        return _fail(f"--email: an account for {email} already exists.")
    password = os.environ.get("KYPHOCARE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    user = User(email=email, full_name=args.name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        return _fail("password: " + " ".join(error.messages))
    with transaction.atomic():
        user = User.objects.create_superuser(email, password, full_name=args.name)
        if args.clinic:
            from django.utils.text import slugify

            clinic, _ = Clinic.objects.get_or_create(
                slug=slugify(args.clinic)[:50], defaults={"name": args.clinic}
            )
            Membership.objects.create(user=user, clinic=clinic, role=Role.CLINIC_ADMIN)
    print(
        f"Created administrator {email}"
        + (f" (clinic admin of {args.clinic})" if args.clinic else "")
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        _setup_django()
    except Exception as error:  # ImproperlyConfigured and friends: one clear line
        return _fail(f"configuration: {error}")
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    problems = 0
    try:
        connection.ensure_connection()
        print(f"database: reachable ({connection.vendor})")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            problems += 1
            print(f"database: {len(pending)} migration(s) not applied; run `kyphocare migrate`.")
        else:
            print("database: migrations up to date")
    except Exception as error:
        problems += 1
        print(f"database: not reachable: {error.__class__.__name__}: {error}")
    try:
        call_command("check", deploy=settings.PRODUCTION, fail_level="WARNING")
    except SystemCheckError as error:
        problems += 1
        print(error)
    print(f"environment: {settings.KYPHOCARE_ENV}; data directory: {settings.DATA_DIR}")
    return 1 if problems else 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyphocare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kyphocare manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kyphocare",
        description="kyphocare: the kyphoplasty care pathway (web app, worker, clinical tools).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="run a demo clinic on embedded SQLite (web + worker)")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--data-dir", default="kyphocare-data")
    demo.add_argument("--setup-only", action="store_true", help="load the demo data, then stop")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="production web server (gunicorn)")
    serve.add_argument("--bind", default=os.environ.get("KYPHOCARE_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="background-task worker (several may run at once)")
    worker.add_argument("rest", nargs=argparse.REMAINDER)
    worker.set_defaults(func=cmd_worker)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    admin = sub.add_parser("createadmin", help="create a system administrator")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--clinic", help="also create this clinic and make them its clinic admin")
    admin.set_defaults(func=cmd_createadmin)

    sub.add_parser(
        "check", help="check configuration, database and deployment settings"
    ).set_defaults(func=cmd_check)

    manage = sub.add_parser("manage", help="run one of Django's own management commands")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    for name in CLINICAL_COMMANDS:
        sub.add_parser(name, help=f"clinical command line: {name} (see docs/clinical-rules.md)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CLINICAL_COMMANDS:
        from kyphocare import clinical_cli

        return clinical_cli.main(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
