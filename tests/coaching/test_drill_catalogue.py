"""The seeded drill catalogue, and coaches' own drills beside it."""

import pytest

from analysis.core import metrics as registry
from coaching.catalogue import DRILLS
from coaching.models import Drill

pytestmark = pytest.mark.django_db


def test_every_catalogue_drill_is_seeded_complete(personas):
    seeded = Drill.objects.filter(author__isnull=True)
    assert seeded.count() == len(DRILLS) >= 20
    for drill in seeded:
        assert drill.purpose and drill.steps and drill.dose and drill.category


def test_every_drill_a_finding_names_exists_in_the_catalogue(personas):
    named = {slug for m in registry.METRICS if m.advice for slug in m.advice.drills}
    seeded = set(Drill.objects.filter(author__isnull=True).values_list("slug", flat=True))
    assert named <= seeded


def test_the_catalogue_covers_the_five_categories(personas):
    categories = set(Drill.objects.values_list("category", flat=True))
    assert categories == {"mobility", "technique", "torso_head", "back_shoulders", "hip_hinge"}


def test_design_brief_mappings_hold(personas):
    targets = dict(Drill.objects.values_list("slug", "targets"))
    assert "overstride_pct_leg" in targets["pogo-hops"]
    assert "head_forward_pct_torso" in targets["head-position"]
    assert "pelvic_drop_deg" in targets["glute-activation"]
    assert "ear_shoulder_gap_pct_torso" in targets["scapula-t"]


def test_a_coach_adds_a_drill_and_edits_it(personas, client_for):
    client = client_for(personas.coach)
    response = client.post("/drills/new/", _drill_form("Wall drill"))
    drill = Drill.objects.get(author=personas.coach)
    assert response.status_code == 302 and drill.steps == ["Lean on a wall", "Drive a knee"]
    client.post(f"/drills/{drill.slug}/edit/", _drill_form("Wall drill, march"))
    drill.refresh_from_db()
    assert drill.name == "Wall drill, march"


def test_a_seeded_drill_cannot_be_edited_by_anyone(personas, client_for):
    response = client_for(personas.coach).post("/drills/pogo-hops/edit/", _drill_form("Mine"))
    assert response.status_code == 404
    assert Drill.objects.get(slug="pogo-hops").name != "Mine"


def test_another_coach_cannot_edit_or_see_a_coachs_drill(personas, client_for, other_coach):
    client_for(personas.coach).post("/drills/new/", _drill_form("Wall drill"))
    slug = Drill.objects.get(author=personas.coach).slug
    other = client_for(other_coach)
    assert other.post(f"/drills/{slug}/edit/", _drill_form("Hijacked")).status_code == 404
    assert other.get(f"/drills/{slug}/").status_code == 404
    assert Drill.objects.get(slug=slug).name == "Wall drill"


def test_a_member_who_coaches_no_one_cannot_add_drills(personas, client_for):
    response = client_for(personas.member).post("/drills/new/", _drill_form("Mine"))
    assert response.status_code == 404
    assert not Drill.objects.filter(author__isnull=False).exists()


def test_the_catalogue_page_filters_by_category(personas, client_for):
    page = client_for(personas.member).get("/drills/?category=hip_hinge").content.decode()
    assert 'data-drill="hip-hinge"' in page and 'data-drill="pogo-hops"' not in page


def _drill_form(name: str) -> dict:
    return {
        "name": name,
        "category": "technique",
        "purpose": "Practise a tall posture.",
        "steps_text": "Lean on a wall\nDrive a knee",
        "dose": "3 x 20 s",
        "equipment": "a wall",
        "targets": ["trunk_lean_deg"],
    }
