"""Composition root: every feature's blueprint, the session rules and the user loader."""
from flask import Flask

from honours.auth.sessions import init_sessions, load_user
from honours.core.extensions import login_manager


def init_blueprints(app: Flask) -> None:
    from honours.audit_log.views import bp as audit_log_bp
    from honours.auth.invitations import bp as invitations_bp
    from honours.auth.password_reset import bp as password_reset_bp
    from honours.auth.two_factor_views import bp as two_factor_bp
    from honours.auth.user_views import bp as users_bp
    from honours.auth.views import bp as auth_bp
    from honours.certificates.views import bp as certificates_bp
    from honours.complaints.views import bp as complaints_bp
    from honours.consent.views import bp as consent_bp
    from honours.core.jobs.views import bp as jobs_bp
    from honours.council.views import bp as council_bp
    from honours.decisions.views import bp as decisions_bp
    from honours.directory.views import bp as people_bp
    from honours.documents.views import bp as documents_bp
    from honours.eligibility.views import bp as eligibility_bp
    from honours.health.views import bp as health_bp
    from honours.home.views import bp as home_bp
    from honours.imports.views import bp as imports_bp
    from honours.incidents.views import bp as incidents_bp
    from honours.indicators.views import bp as indicators_bp
    from honours.intake.views import bp as intake_bp
    from honours.nominations.submission_views import bp as submissions_bp
    from honours.nominations.views import bp as nominations_bp
    from honours.notice.views import bp as notice_bp
    from honours.organisations.views import bp as organisations_bp
    from honours.privacy.views import bp as privacy_bp
    from honours.publication.views import bp as publication_bp
    from honours.reviews.scoring_views import bp as scoring_bp
    from honours.reviews.views import bp as reviews_bp
    from honours.rounds.views import bp as rounds_bp
    from honours.selection.views import bp as selection_bp
    from honours.talent.blueprint import bp as talent_bp

    for blueprint in (home_bp, auth_bp, users_bp, two_factor_bp, invitations_bp, password_reset_bp,
                      organisations_bp, rounds_bp,
                      nominations_bp, imports_bp, eligibility_bp, reviews_bp, scoring_bp, council_bp, publication_bp,
                      talent_bp, people_bp, indicators_bp, audit_log_bp, health_bp, submissions_bp,
                      incidents_bp, privacy_bp, selection_bp, documents_bp, jobs_bp, intake_bp, consent_bp,
                      notice_bp, complaints_bp, certificates_bp, decisions_bp):
        app.register_blueprint(blueprint)
    init_sessions(app)  # idle timeout, forced two-factor enrolment

    login_manager.user_loader(load_user)  # a session counts while its generation is the user's current one
