"""A day with something of everything, and a way to name each route's objects: shared by
the access matrix and the hostile-input tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import EventMembership, Participation
from journee.registration import services
from journee.registration.models import Assignment, AssignmentSource
from journee.syntheses.models import SynthesisStatus, WorkshopSynthesis
from support.registration import OPEN_DAY, slot_of


def _tiny_png() -> bytes:
    from io import BytesIO

    from PIL import Image
    buffer = BytesIO()
    Image.new("RGB", (4, 2), "navy").save(buffer, "PNG")
    return buffer.getvalue()


NEED = "Boucle magnétique, besoin-de-sante-confidentiel"
"""The world's attendee's accommodation need: only its organisers, its referent and the
attendee may ever see it."""


class World:
    """The IRTS-IDS day with a registration, a placement, a facilitator link and a
    published synthesis; the ETSUP day belongs to another organiser."""

    def __init__(self, demo, make_user):
        self.irts = demo["travail-social-epreuve-numerique-2018"]
        self.etsup = demo["travail-social-2-0-etsup-2018"]
        slot = slot_of(self.irts)
        self.slot = slot
        self.workshop = slot.workshops[0]
        attendee = services.Attendee(
            first_name="Zoé", last_name="Martin", email="zoe@example.org",
            profile="student", privacy_version="test",
            choices={slot.id: [w.id for w in slot.workshops[:3]]})
        self.registration = services.register(self.irts.id, attendee, OPEN_DAY)
        self.registration.checked_in_at = datetime(2018, 3, 15, 8, 45)
        db.session.add(Assignment(registration_id=self.registration.id, session_id=slot.id,
                                  workshop_id=self.workshop.id,
                                  source=AssignmentSource.SOLVER))
        self.facilitator = self.workshop.facilitators[0]
        self.link = FacilitatorLink(event_id=self.irts.id,
                                    person_id=self.facilitator.person_id)
        db.session.add(self.link)
        db.session.add(WorkshopSynthesis(workshop_id=self.workshop.id, key_points="Écoute",
                                         status=SynthesisStatus.PUBLISHED,
                                         published_at=datetime(2018, 3, 16)))
        self.irts.certificate_signature = _tiny_png()
        self.users = {
            "admin": make_user("admin@example.org", admin=True),
            "organiser": make_user("orga@example.org", events=[self.irts]),
            "other_staff": make_user("autre@example.org", events=[self.etsup]),
            "reception": make_user("accueil@example.org"),
            "no_role": make_user("sans-role@example.org"),
            # No role on any event: the IRTS-IDS day names this address as its
            # disability referent.
            "referent": make_user("referente@example.org"),
        }
        self.irts.referent_name = "Zoé N’Diaye"
        self.irts.referent_email = "referente@example.org"
        self.registration.accommodation_needed = True
        self.registration.accommodation_details = NEED
        self.registration.accommodation_consent_at = datetime(2018, 2, 1, 10, 0)
        db.session.add(EventMembership(event_id=self.irts.id,
                                       user_id=self.users["reception"].id, role="reception"))
        db.session.commit()
        self.membership = db.session.scalar(select(EventMembership).filter_by(
            user_id=self.users["organiser"].id))

    def participation(self, workshop=None, contribution=None, session=None):
        query = select(Participation)
        if workshop is not None:
            query = query.filter_by(workshop_id=workshop.id)
        elif contribution is not None:
            query = query.filter_by(contribution_id=contribution.id)
        else:
            query = query.filter_by(session_id=session.id, workshop_id=None,
                                    contribution_id=None)
        return db.session.scalars(query.order_by(Participation.position)).first()


def _contribution(world):
    for session in world.irts.sessions:
        if session.contributions:
            return session.contributions[0]
    raise AssertionError("the demo day has contributions")


def _session_with_participants(world):
    return next(s for s in world.irts.sessions if s.participants)


def _unsubscribe_token(world) -> str:
    from journee.messages.emails import unsubscribe_token
    return unsubscribe_token(world.registration.id)


def _survey(world):
    from journee.surveys.services import ensure_survey
    survey = ensure_survey(world.irts)
    db.session.commit()
    return survey


def _survey_token(world) -> str:
    """The link of an invitation of the registration to the questionnaire."""
    from journee.surveys.models import SurveyInvitation, Wave
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.registration_id == world.registration.id))
    if invitation is None:
        invitation = SurveyInvitation(survey_id=_survey(world).id,
                                      registration_id=world.registration.id,
                                      wave=Wave.HOT, invited_on=OPEN_DAY)
        db.session.add(invitation)
        db.session.commit()
    return invitation.token


def _half_day_slug(world) -> str:
    from journee.attendance.services.signin import half_days
    from journee.attendance.services.signing_corrections import half_day_slug
    return half_day_slug(half_days(world.irts)[0])


def _signature_record_id(world) -> int:
    """A presence attested for the registration on the morning, made when asked for (a
    route that cancels it may have taken the previous one)."""
    from journee.attendance.models import HalfDaySignature
    from journee.attendance.services.signin import half_days
    key = half_days(world.irts)[0].key
    record = db.session.scalar(select(HalfDaySignature).filter_by(
        registration_id=world.registration.id, half_day_start=key))
    if record is None:
        record = HalfDaySignature(event_id=world.irts.id, half_day_start=key,
                                  registration_id=world.registration.id,
                                  signed_at=datetime(2018, 3, 15, 8, 50),
                                  collected_by="accueil@example.org",
                                  attested_by="Paul Accueil", reason="signature impossible")
        db.session.add(record)
        db.session.commit()
    return record.id


def url_params(rule, world) -> dict:
    """A value for each of the rule's parameters, naming objects of the IRTS-IDS day."""
    args = set(rule.arguments) - set(rule.defaults or {})
    params = {}
    contribution = _contribution(world) if "contribution_id" in args else None
    plain_session = _session_with_participants(world)
    for name in args:
        converter = rule._converters.get(name)
        if converter is not None and hasattr(converter, "items"):
            params[name] = sorted(converter.items)[0]
        elif name == "event_id":
            params[name] = world.irts.id
        elif name == "session_id":
            if contribution is not None:
                params[name] = contribution.session_id
            elif "workshop_id" in args or "/ateliers/" in rule.rule:
                params[name] = world.slot.id
            else:
                params[name] = plain_session.id
        elif name == "slot_id":
            params[name] = world.slot.id
        elif name == "workshop_id":
            params[name] = world.workshop.id
        elif name == "contribution_id":
            params[name] = contribution.id
        elif name == "participation_id":
            if "workshop_id" in args:
                params[name] = world.participation(workshop=world.workshop).id
            elif contribution is not None:
                params[name] = world.participation(contribution=contribution).id
            else:
                params[name] = world.participation(session=plain_session).id
        elif name == "registration_id":
            params[name] = world.registration.id
        elif name == "room_id":
            params[name] = world.irts.rooms[0].id
        elif name == "person_id":
            params[name] = world.facilitator.person_id
        elif name == "user_id":
            params[name] = world.users["organiser"].id
        elif name == "membership_id":
            params[name] = world.membership.id
        elif name == "token":
            params[name] = (world.link.token if rule.rule.startswith("/f/")
                            else world.registration.token if rule.rule.startswith("/r/")
                            else _unsubscribe_token(world) if rule.rule.startswith(
                                "/desabonnement/")
                            else _survey_token(world) if rule.rule.startswith("/q/")
                            else "jeton-invalide")
        elif name == "change":  # the link confirming a new address
            from journee.registration.address import make_change_token
            params[name] = make_change_token(world.registration, "nouvelle@example.org")
        elif name == "slug":
            params[name] = world.irts.slug
        elif name == "uid":
            params[name] = world.irts.sessions[0].uid
        elif name == "workshop_uid":
            params[name] = world.workshop.uid
        elif name == "question_id":
            params[name] = _survey(world).questions[0].id
        elif name == "code":
            params[name] = world.registration.badge_code
        elif name == "half_day":
            params[name] = _half_day_slug(world)
        elif name == "record_id":  # a half-day's signature or attested presence
            params[name] = _signature_record_id(world)
        elif name == "kind":  # an automatic e-mail whose text the event may change
            params[name] = "survey_hot"
        else:
            raise AssertionError(f"{rule.rule}: no test value for <{name}>; add one to "
                                 "url_params so the route is covered")
    return params


def build(rule, params) -> str:
    return rule.build(params, append_unknown=False)[1]


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


