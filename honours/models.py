"""Import every model so metadata (create_all, Alembic autogenerate) sees the whole schema."""
from honours.auth.models import EndedSession, LoginThrottle, User  # noqa: F401
from honours.certificates.models import Certificate, CertificateTemplate  # noqa: F401
from honours.complaints.models import Complaint  # noqa: F401
from honours.consent.models import ConsentChoice, ConsentRequest, ConsentScan  # noqa: F401
from honours.core.audit import AuditEntry  # noqa: F401
from honours.core.jobs.models import Job  # noqa: F401
from honours.core.outbox.models import OutboxMessage  # noqa: F401
from honours.core.ratelimit import RateLimitHit  # noqa: F401
from honours.council.models import Attendance, Ballot, BallotChoice, BallotReceipt, CouncilSession  # noqa: F401
from honours.decisions.models import SignedDecision  # noqa: F401
from honours.incidents.models import Incident  # noqa: F401
from honours.intake.models import PersonIntake  # noqa: F401
from honours.nominations.models import Achievement, Attachment, Dossier, DossierSubmission, DuplicateCheck  # noqa: F401
from honours.notice.models import Opinion  # noqa: F401
from honours.organisations.models import Organisation  # noqa: F401
from honours.people.models import Person, PersonChangeProposal  # noqa: F401
from honours.privacy.models import DataRequest, DataRequestAction  # noqa: F401
from honours.publication.models import PublicationPhoto, RoundDocument  # noqa: F401
from honours.reviews.models import ConflictDeclaration, CouncilMember, ReviewAssignment, ScoreItem, ScoreSheet  # noqa: F401
from honours.rounds.models import Criterion, EligibilityRule, Round, RoundField, Standard  # noqa: F401
from honours.selection.models import Clarification, RuleOverride, StandardAppraisal, StandardClaim  # noqa: F401
from honours.talent.models import NeedMatch, PoolEntry, PoolReview, Referral, ReferralAttachment, TalentNeed  # noqa: F401
