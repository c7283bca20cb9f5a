-- +goose Up
-- Seed 002 (Hammerfest), issue 15 points 5 and 6.
--
-- Target groups (§2.3, brukergrupper med tilpassede behov): a case and a
-- team matter may be classified by one or more of the catalog's codes
-- (samordna.TargetGroups), so that the counts and the team report say whom
-- the services work with. A case's classification is personal data (it
-- says what the person struggles with): it goes with the case's purge.
CREATE TABLE case_target_groups (
    case_id TEXT NOT NULL REFERENCES cases(id),
    code    TEXT NOT NULL,
    set_by  TEXT NOT NULL REFERENCES employees(id),
    set_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, code)
);

CREATE TABLE team_matter_target_groups (
    matter_id TEXT NOT NULL REFERENCES team_matters(id),
    code      TEXT NOT NULL,
    PRIMARY KEY (matter_id, code)
);

-- System issues (§4.2: "Temaet skal melde systemsaker videre til OST"): a
-- team sends an issue about how the services work together, naming no
-- person (checked like anonymous text), to the municipality's OST, whose
-- meeting agenda holds it; the OST records its decision, who owns the
-- follow-up and by when; the owner marks it followed up. The sending team
-- sees the outcome. matter_id points at the matter it came from, if any
-- (the issue's own text is anonymous).
CREATE TABLE system_issues (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    from_team_id    TEXT NOT NULL REFERENCES teams(id),
    to_team_id      TEXT NOT NULL REFERENCES teams(id),
    matter_id       TEXT REFERENCES team_matters(id),
    meeting_id      TEXT REFERENCES team_meetings(id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('sent', 'on_agenda', 'decided', 'followed_up')),
    sent_by         TEXT NOT NULL REFERENCES employees(id),
    sent_at         TIMESTAMP NOT NULL,
    decision        TEXT NOT NULL DEFAULT '',
    owner_id        TEXT REFERENCES employees(id),
    follow_up_due   TIMESTAMP,
    decided_by      TEXT REFERENCES employees(id),
    decided_at      TIMESTAMP,
    follow_up_note  TEXT NOT NULL DEFAULT '',
    followed_up_by  TEXT REFERENCES employees(id),
    followed_up_at  TIMESTAMP
);
CREATE INDEX system_issues_from ON system_issues (from_team_id, sent_at);
CREATE INDEX system_issues_to ON system_issues (to_team_id, sent_at);
CREATE INDEX system_issues_meeting ON system_issues (meeting_id) WHERE meeting_id IS NOT NULL;

-- +goose Down
DROP TABLE system_issues;
DROP TABLE team_matter_target_groups;
DROP TABLE case_target_groups;
