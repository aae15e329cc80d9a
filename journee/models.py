"""Import every model so Alembic and the app see the whole schema."""

from .attendance.models import HalfDaySignature  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .auth.models import User  # noqa: F401
from .branding.models import Branding, LegalIdentity  # noqa: F401
from .facilitation.models import FacilitatorLink  # noqa: F401
from .gdpr.models import PrivacySettings  # noqa: F401
from .mail_models import OutboxMessage  # noqa: F401
from .messages.models import Mailing, OptOut  # noqa: F401
from .programme.models import (  # noqa: F401
    Contribution,
    Event,
    EventMembership,
    Participation,
    Person,
    ProgrammeChange,
    ProgrammeChangeItem,
    Room,
    Session,
    Workshop,
)
from .ratelimit import RateEvent  # noqa: F401
from .registration.models import (  # noqa: F401
    Assignment,
    EmailText,
    ProgrammeChangeNotice,
    Registration,
    ReminderSent,
    WorkshopChoice,
    WorkshopWaitlistEntry,
)
from .surveys.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from .syntheses.models import DaySynthesis, WorkshopSynthesis  # noqa: F401
from .tasks import PeriodicJobState  # noqa: F401
from .workshops.models import AssignmentPublication, AssignmentRun  # noqa: F401
