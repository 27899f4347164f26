"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL;
the demo village builds once and gives every role something real to see."""
import re
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from coop.core import roles as R
from coop.core.models import TaskCategory, User, Village
from coop.extensions import db
from coop.matching.models import Proposal
from coop.people.models import VolunteerProfile

# Indexes on an expression: SQLite cannot reflect them and PostgreSQL gives back its own
# rewriting of the text, so autogenerate cannot compare them. Each has its own test, on both
# databases, that the migrated index exists and that the query it is for uses it.
EXPRESSION_INDEXES = {"ix_help_requests_open_inbox": "tests/requests/test_inbox_index.py"}


def _not_an_expression_index(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def test_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        for skipped in ("Skipped unsupported reflection of expression-based index",
                        "autogenerate skipping metadata-specified expression-based index"):
            warnings.filterwarnings("ignore", skipped)
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": _not_an_expression_index})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_each_expression_index_is_in_the_model_and_has_its_test():
    from pathlib import Path
    declared = {index.name for table in db.metadata.tables.values() for index in table.indexes
                if any(not hasattr(expr, "name") or expr.name is None for expr in index.expressions)}
    assert declared == set(EXPRESSION_INDEXES)
    root = Path(__file__).parents[2]
    for name, test in EXPRESSION_INDEXES.items():
        assert name in (root / test).read_text(encoding="utf-8")


def test_no_relationship_is_called_request(app):
    """`request` is Flask's: a relationship to a hulpvraag is `help_request`, to a respite
    request `respite_request` (docs/glossary.md)."""
    named = sorted(f"{mapper.class_.__name__}.{rel.key}" for mapper in db.Model.registry.mappers
                   for rel in mapper.relationships if rel.key == "request")
    assert named == []
    assert "help_request" in {rel.key for rel in db.inspect(Proposal).relationships}


def test_no_variable_or_parameter_in_the_code_is_called_request():
    """Nothing in coop/ assigns or takes a `request`: the name is always Flask's, so a hulpvraag
    is `req` and a respite request `respite_request`."""
    import ast
    from pathlib import Path

    import coop
    found = []
    for path in sorted(Path(coop.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.arg) and node.arg == "request") or (
                    isinstance(node, ast.Name) and node.id == "request" and isinstance(node.ctx, ast.Store)):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_demo_village_is_built_once(app, session):
    from coop import demo
    lines = []
    ctx = demo.build(echo=lines.append)
    assert ctx is not None
    village = session.scalar(select(Village).where(Village.slug == demo.SLUG))
    people = session.scalars(select(User).where(User.village_id == village.id)).all()
    by_role = {role: [p for p in people if p.has_role(role)] for role in R.ALL}
    assert len(by_role[R.VOLUNTEER]) == 40
    assert len(by_role[R.PROFESSIONAL]) == 4
    assert len(by_role[R.RESIDENT]) == 60
    assert by_role[R.CARER] and by_role[R.COORDINATOR] and by_role[R.MUNICIPALITY] and by_role[R.ADMIN]
    profiles = session.scalars(select(VolunteerProfile).join(VolunteerProfile.user)
                               .where(User.village_id == village.id)).all()
    assert any(p.paused for p in profiles)
    assert sum(1 for p in profiles if p.approved_at is None) >= 1
    from coop.people.service import vog_valid
    assert sum(1 for p in profiles if not vog_valid(p)) == 1
    rules = {c.rule for c in session.scalars(select(TaskCategory).where(TaskCategory.village_id == village.id))}
    assert rules == set(TaskCategory.RULES)
    # Running it again changes nothing.
    count = session.scalar(select(func.count(User.id)))
    assert demo.build(echo=lines.append) is None
    assert session.scalar(select(func.count(User.id))) == count
    assert "bestaat al" in lines[-1]


def test_each_demo_login_reaches_its_own_home(app, session, client):
    from coop import demo
    demo.build(echo=lambda *_: None)
    for _label, email in demo.logins():
        response = client.post("/inloggen", data={"email": email, "password": demo.PASSWORD})
        assert response.status_code == 302, email
        home = client.get("/")
        assert "Goedendag" in home.text, email
        client.post("/uitloggen")


def test_demo_gives_the_gemeente_real_figures(app, session, client_as):
    """A year of history: per month most request counts are above the threshold."""
    from coop import demo
    from coop.core.clock import local_now
    ctx = demo.build(echo=lambda *_: None)
    page = client_as(ctx.municipality_user).get(
        f"/cijfers/dorp/{ctx.village.id}?jaar={local_now().year}").text
    table = page.split('id="tabel-')[1]  # the first table: requests per month
    shown = re.findall(r'numeric">(\d+)</td>', table.split("</table>")[0])
    assert len(shown) >= 12  # counts for most months are shown, not hidden as "< 5"
