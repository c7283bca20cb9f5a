package app

import (
	"context"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/store"
)

// This file holds the consent form of seed 004 (Salangen): before the
// person signs, they are told the group's composition, way of working and
// what confidential information is shared; the printed form carries the
// four statements verbatim, "Gjelder ansvarsgruppe for", place, date and
// signature. The signed scan is attached to the consent (the consent
// pages); registration with the coordinating unit is the purpose
// register_with_coordinating_unit.

// ConsentFormTitle is the form's title.
const ConsentFormTitle = "Samtykkeerklæring for opprettelse av ansvarsgruppe"

// ConsentStatements are the form's four statements, verbatim from seed 004.
var ConsentStatements = []string{
	"Jeg er kjent med ansvarsgruppens tverrfaglige sammensetning og arbeidsform, og samtykker til at det opprettes ansvarsgruppe.",
	"Jeg samtykker til at personene i ansvarsgruppen får tilgang til relevante taushetsbelagte opplysninger.",
	"Jeg samtykker til at koordinerende enhet mottar og registrerer opplysningene om opprettelse/oppløsning/endringer/årlig melding om ansvarsgruppen.",
	"Jeg er kjent med at det er frivillig å gi samtykke, og at samtykket når som helst kan trekkes tilbake. Samtykket gjelder inntil annen beskjed blir gitt.",
}

// ConsentTeamStatement is the form's optional statement for discussing the
// case by name in a named team (purpose share_with_team): seed 002 §5.2
// asks for one common consent form across the confidentiality regimes of
// the services in the team (helsepersonelloven § 22, forvaltningsloven
// § 13a, the service laws). It is ours, not a seed's wording.
const ConsentTeamStatement = "Jeg samtykker til at saken kan drøftes med navn i teamet ______________________ " +
	"(for eksempel TST eller ressursgruppa), og at tjenestene i teamet kan utveksle de opplysningene som trengs, " +
	"uten hinder av taushetsplikten de har etter helsepersonelloven, forvaltningsloven og særlovene."

// ConsentStatementPurposes are the consent purposes the statements give,
// in order: the second and third map to share_with_members and
// register_with_coordinating_unit.
var ConsentStatementPurposes = []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup,
	samordna.PurposeShareWithMembers, samordna.PurposeRegisterWithUnit}

// ConsentFormView is what the consent form page shows.
type ConsentFormView struct {
	Case             *samordna.Case
	SubjectName      string
	Coordinator      *store.Assignment
	Members          []*store.Member // the group's members when a group exists
	Consents         []*samordna.Consent
	CanManageConsent bool
}

// ConsentForm returns what the consent form page shows: the person, the
// coordinator, the group's composition if any and the case's consents. One
// audit row. Who may call: readers of the case. Errors: not_found.
func (a *App) ConsentForm(ctx context.Context, actor *samordna.Actor, caseID string) (*ConsentFormView, error) {
	var v *ConsentFormView
	err := a.withCase(ctx, actor, caseID, access.Read, "read", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if v, err = a.consentFormView(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read", "consent_form", g.Case.ID)
	})
	return v, err
}

func (a *App) consentFormView(tx *store.Tx, actor *samordna.Actor, g *caseGrant) (*ConsentFormView, error) {
	v := &ConsentFormView{Case: g.Case,
		CanManageConsent: access.Can(access.SubjectOf(actor.Employee), access.ManageConsent, g.Facts)}
	var err error
	if g.Case.SubjectPersonID != "" {
		p, err := store.PersonByID(tx, g.Case.SubjectPersonID)
		if err != nil {
			return nil, err
		}
		v.SubjectName = p.Name
	}
	if v.Coordinator, err = store.CurrentAssignment(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if grp, err := store.OpenGroupOfCase(tx, g.Case.ID); err != nil {
		return nil, err
	} else if grp != nil {
		if v.Members, err = store.Members(tx, grp.ID); err != nil {
			return nil, err
		}
	}
	if v.Consents, err = caseConsents(tx, g.Case.ID, a.now()); err != nil {
		return nil, err
	}
	return v, nil
}

// ConsentFormPDF returns the printable consent form for the case: the four
// statements verbatim, "Gjelder ansvarsgruppe for: <name>", and lines for
// place, date and signature; before them what the person is told about the
// group. One audit row. Who may call: those who record consent
// (access.ManageConsent). Errors: not_found.
func (a *App) ConsentFormPDF(ctx context.Context, actor *samordna.Actor, caseID string) ([]byte, error) {
	var out []byte
	err := a.withCase(ctx, actor, caseID, access.ManageConsent, "print_consent_form", func(tx *store.Tx, g *caseGrant) error {
		v, err := a.consentFormView(tx, actor, g)
		if err != nil {
			return err
		}
		if out, err = a.consentFormDocument(v); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "print_consent_form", "consent_form", g.Case.ID)
	})
	return out, err
}

func (a *App) consentFormDocument(v *ConsentFormView) ([]byte, error) {
	doc := pdf.New(pdf.Options{Title: ConsentFormTitle, Subject: "Samtykke til ansvarsgruppe", Lang: "nb",
		Created: a.now(), Footer: "Samordna"})
	name := v.SubjectName
	if name == "" {
		name = "______________________________"
	}
	doc.Paragraph("Gjelder ansvarsgruppe for: " + name)
	doc.Heading("Om ansvarsgruppa")
	doc.Paragraph("Ansvarsgruppa består av brukeren og/eller foresatte/pårørende og de fagpersonene som er mest " +
		"involvert. Antallet medlemmer skal være så få som mulig, men så mange som nødvendig. Gruppa møtes som hovedregel " +
		"én gang per halvår, innenfor en tidsramme på 1,5 timer. Medlemmene deler de taushetsbelagte opplysningene som er " +
		"relevante for samarbeidet.")
	var rows [][]string
	if v.Coordinator != nil {
		rows = append(rows, []string{v.Coordinator.Name, "Koordinator"})
	}
	for _, m := range v.Members {
		if v.Coordinator != nil && m.EmployeeID == v.Coordinator.EmployeeID {
			continue
		}
		rows = append(rows, []string{m.Name, strings.TrimSpace(m.Role + " " + m.Service)})
	}
	if len(rows) > 0 {
		doc.Table([]string{"Navn", "Rolle og tjeneste"}, rows)
	}
	doc.Heading("Samtykke")
	for _, s := range ConsentStatements {
		doc.Paragraph("• " + s)
	}
	doc.Heading("Drøfting i team (kryss av hvis det gjelder)")
	doc.Paragraph("[  ] " + ConsentTeamStatement)
	doc.Paragraph("\nSted og dato: ______________________________________")
	doc.Paragraph("\nUnderskrift: ______________________________________")
	return doc.Bytes()
}
