package app

import (
	"context"
	"errors"
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

// RegimeLine is one service present and the confidentiality rules its
// employees work under (seed 002 §2.3 and §5.2: the common consent form
// names the regimes it lifts).
type RegimeLine struct {
	Service string
	Regime  samordna.Regime
	Law     string
}

// ConsentFormView is what the consent form page shows.
type ConsentFormView struct {
	Case             *samordna.Case
	SubjectName      string
	Regimes          []RegimeLine   // the services of the group (and of Team), each once
	Team             *samordna.Team // the team the form names for discussing the case by name; nil for none
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
	var serviceIDs []string
	if v.Coordinator != nil {
		if e, err := store.EmployeeByID(tx, v.Coordinator.EmployeeID); err == nil {
			for _, s := range e.Services {
				serviceIDs = append(serviceIDs, s.ID)
			}
		}
	}
	for _, m := range v.Members {
		if m.ServiceID != "" {
			serviceIDs = append(serviceIDs, m.ServiceID)
		}
	}
	if v.Regimes, err = regimeLines(tx, serviceIDs); err != nil {
		return nil, err
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
	return a.ConsentFormPDFForTeam(ctx, actor, caseID, "")
}

// ConsentFormPDFForTeam is ConsentFormPDF naming a team (seed 002 §4.2 and
// §5.2): the team statement is filled with the team's name and ticked, and
// the regimes of the team's services are listed with the group's. teamID
// "" names none. Errors: as ConsentFormPDF, and unknown_team (KindInvalid)
// for a team not of the case's municipality.
func (a *App) ConsentFormPDFForTeam(ctx context.Context, actor *samordna.Actor, caseID, teamID string) ([]byte, error) {
	var out []byte
	err := a.withCase(ctx, actor, caseID, access.ManageConsent, "print_consent_form", func(tx *store.Tx, g *caseGrant) error {
		v, err := a.consentFormView(tx, actor, g)
		if err != nil {
			return err
		}
		if teamID != "" {
			if err := consentFormTeam(tx, v, teamID); err != nil {
				return err
			}
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
	if len(v.Regimes) > 0 {
		doc.Heading("Taushetsplikt i tjenestene som deltar")
		doc.Paragraph("Tjenestene har taushetsplikt etter ulike regler (helsepersonelloven, forvaltningsloven og " +
			"særlovene). Samtykket gjør at de kan dele de opplysningene som trengs, med hverandre (helsepersonelloven § 22, " +
			"forvaltningsloven § 13 a og tilsvarende regler i særlovene).")
		var rows [][]string
		for _, r := range v.Regimes {
			rows = append(rows, []string{r.Service, regimeNB[r.Regime], r.Law})
		}
		doc.Table([]string{"Tjeneste", "Taushetsplikt", "Lov"}, rows)
	}
	if v.Team != nil {
		doc.Heading("Drøfting i team")
		doc.Paragraph("[X] " + strings.Replace(ConsentTeamStatement, "______________________", "«"+v.Team.Name+"»", 1))
	} else {
		doc.Heading("Drøfting i team (kryss av hvis det gjelder)")
		doc.Paragraph("[  ] " + ConsentTeamStatement)
	}
	doc.Paragraph("\nSted og dato: ______________________________________")
	doc.Paragraph("\nUnderskrift: ______________________________________")
	return doc.Bytes()
}

// regimeNB names the regimes on the printed form.
var regimeNB = map[samordna.Regime]string{samordna.RegimeHealthPersonnel: "Helsepersonelloven",
	samordna.RegimeAdministration: "Forvaltningsloven", samordna.RegimeServiceLaw: "Særlov"}

// regimeLines lists each service once, in the order given, with its
// regime.
func regimeLines(tx *store.Tx, serviceIDs []string) ([]RegimeLine, error) {
	var out []RegimeLine
	seen := map[string]bool{}
	for _, id := range serviceIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		s, err := store.ServiceByID(tx, id)
		if err != nil {
			return nil, err
		}
		info := s.Kind.Info()
		out = append(out, RegimeLine{Service: s.Name, Regime: info.Regime, Law: info.Law})
	}
	return out, nil
}

// consentFormTeam names the team on the form and adds its members'
// services to the regimes.
func consentFormTeam(tx *store.Tx, v *ConsentFormView, teamID string) error {
	t, err := store.TeamByID(tx, teamID)
	if errors.Is(err, samordna.ErrNotFound) || err == nil && t.MunicipalityID != v.Case.MunicipalityID {
		return samordna.Errorf(samordna.KindInvalid, "unknown_team", "no such team in the municipality")
	}
	if err != nil {
		return err
	}
	v.Team = t
	var ids []string
	have := map[string]bool{}
	for _, r := range v.Regimes {
		have[r.Service] = true
	}
	for _, m := range t.MemberIDs {
		e, err := store.EmployeeByID(tx, m)
		if err != nil {
			return err
		}
		for _, s := range e.Services {
			ids = append(ids, s.ID)
		}
	}
	more, err := regimeLines(tx, ids)
	if err != nil {
		return err
	}
	for _, r := range more {
		if !have[r.Service] {
			v.Regimes = append(v.Regimes, r)
			have[r.Service] = true
		}
	}
	return nil
}
