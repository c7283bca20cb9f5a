// Package samordna holds the vocabulary of Samordna: the domain types shared
// by every layer, the error codes and the fødselsnummer rules.
//
// Samordna is the system a Norwegian municipality uses to coordinate its
// services around a child, a family, a pregnant woman or an adult with
// long-term, complex needs. docs/GLOSSARY.md gives the Norwegian terms
// behind the names used here.
package samordna

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// NewID returns a new opaque, unguessable identifier (20 lowercase
// base32 characters). IDs carry no personal data and are safe in URLs.
func NewID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// Role is what an employee may act as. An employee can hold several.
type Role string

// The roles of the municipality's employees.
const (
	RoleEmployee         Role = "employee"          // any employee; can be a discoverer
	RoleServiceLeader    Role = "service_leader"    // leads a service: deadlines and counts, not content
	RoleCoordinatingUnit Role = "coordinating_unit" // caseworker in Koordinerende enhet
	RoleChildWelfare     Role = "child_welfare"     // caseworker in barnevernet
	RoleAdmin            Role = "admin"             // manages users and routines; sees no case content
	RoleEmergencyAccess  Role = "emergency_access"  // may "break the glass" with a reason
	// RoleHealthPersonnel marks health personnel (helsepersonell) who work
	// outside a health service, such as a midwife employed elsewhere; those
	// in a health service are health personnel by their service's kind
	// (see Employee.HealthPersonnel).
	RoleHealthPersonnel Role = "health_personnel"
)

// Roles lists every role in display order.
var Roles = []Role{RoleEmployee, RoleServiceLeader, RoleCoordinatingUnit, RoleChildWelfare, RoleAdmin,
	RoleEmergencyAccess, RoleHealthPersonnel}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Municipality is a kommune using Samordna.
type Municipality struct {
	ID     string
	Name   string
	Number string // the four-digit kommunenummer
}

// ServiceKind says what a service (tjeneste) is.
type ServiceKind string

// The kinds of municipal services Samordna knows.
const (
	ServiceKindergarten     ServiceKind = "kindergarten"
	ServiceSchool           ServiceKind = "school"
	ServiceHealthStation    ServiceKind = "health_station"
	ServicePPT              ServiceKind = "ppt"
	ServiceChildWelfare     ServiceKind = "child_welfare"
	ServiceNAV              ServiceKind = "nav"
	ServiceMentalHealth     ServiceKind = "mental_health_substance"
	ServiceGP               ServiceKind = "gp"
	ServiceCoordinatingUnit ServiceKind = "coordinating_unit"
	ServiceHomeCare         ServiceKind = "home_care" // hjemmetjenesten (home nursing and practical help)
	ServiceOther            ServiceKind = "other"
)

// HealthServiceKinds are the services whose employees are health
// personnel (helsepersonelloven § 3): the health station, the GP and the
// mental health and substance service. The duty to inform (§ 32) is
// theirs.
var HealthServiceKinds = []ServiceKind{ServiceHealthStation, ServiceGP, ServiceMentalHealth}

// Service is an organisational unit of the municipality (tjeneste, virksomhet).
type Service struct {
	ID             string
	MunicipalityID string
	Name           string
	Kind           ServiceKind
	LeaderIDs      []string // employee ids of the leaders, ordered; empty when none is set
	DistrictID     string   // the district a school or kindergarten belongs to; empty for none
	ExternalID     string   // the id a CSV import or the directory knows it by; empty for none
}

// District is a part of the municipality (for example Nord, Sentrum, Sør)
// that schools and kindergartens belong to and a district team (TST) serves.
type District struct {
	ID             string
	MunicipalityID string
	Name           string
}

// Employee is a person who signs in: a municipal employee.
type Employee struct {
	ID             string
	MunicipalityID string
	Username       string
	Name           string
	Title          string
	Email          string
	ExternalID     string // the id a CSV import or the directory (SCIM) knows them by; empty for none
	Disabled       bool
	Roles          []Role
	Services       []Service
	CreatedAt      time.Time
}

// HasRole reports whether the employee holds r.
func (e *Employee) HasRole(r Role) bool {
	for _, x := range e.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// HealthPersonnel reports whether the employee is health personnel: holds
// the role health_personnel or works in a health service
// (HealthServiceKinds). The administrator never is.
func (e *Employee) HealthPersonnel() bool {
	if e == nil || e.HasRole(RoleAdmin) {
		return false
	}
	if e.HasRole(RoleHealthPersonnel) {
		return true
	}
	for _, s := range e.Services {
		for _, k := range HealthServiceKinds {
			if s.Kind == k {
				return true
			}
		}
	}
	return false
}

// TeamKind says what a cross-service team is (seed 002, seed 003).
type TeamKind string

// The kinds of team.
const (
	TeamInterdisciplinary TeamKind = "tst"            // tverrfaglig team (TST)
	TeamOverarching       TeamKind = "ost"            // overordnet samarbeidsteam (OST)
	TeamResourceGroup     TeamKind = "resource_group" // ressursgruppe
	TeamOther             TeamKind = "other"          // another standing team (seed 002 §3.3)
)

// Team is a standing cross-service team with fixed members.
type Team struct {
	ID             string
	MunicipalityID string
	Name           string
	Kind           TeamKind
	Purpose        string
	DistrictID     string   // the district a TST serves; empty for a municipality-wide team
	MeetingRule    string   // how often it meets, as the municipality words it (e.g. "monthly"); empty when unset
	LeaderID       string   // employee id of the team's leader; empty when unset
	MemberIDs      []string // employee ids
	SubmitterIDs   []string // service ids that submit cases to the team
}

// Person is someone the municipality's services are about: a child, a
// parent, a pregnant woman, an adult, or an expected child (no number yet,
// a due date instead).
type Person struct {
	ID             string
	MunicipalityID string
	IDNumber       string // fødselsnummer or D-nummer; empty for an expected child
	IDKind         IDKind
	Name           string
	BirthDate      string // YYYY-MM-DD, derived from the number
	DueDate        string // YYYY-MM-DD for an expected child
	Synthetic      bool
}

// Expected reports whether the person is an expected child not yet born.
func (p *Person) Expected() bool { return p.IDNumber == "" && p.DueDate != "" }

// RelationKind is how two persons are related.
type RelationKind string

// The relations Samordna records between persons.
const (
	RelationGuardianOf RelationKind = "guardian_of" // person is guardian (foresatt) of related
	RelationParentOf   RelationKind = "parent_of"   // person is parent of related
	RelationExpecting  RelationKind = "expecting"   // person is pregnant with related (an expected child)
)

// Valid reports whether k is a known relation.
func (k RelationKind) Valid() bool {
	return k == RelationGuardianOf || k == RelationParentOf || k == RelationExpecting
}

// Relation links two persons.
type Relation struct {
	ID        string
	PersonID  string
	Kind      RelationKind
	RelatedID string
}

// Actor is who performs a request: the signed-in employee, the role they act
// in and the request's identity, as written to the audit trail.
type Actor struct {
	Employee *Employee
	// System names a system actor acting without an employee ("scim" for
	// the municipality's directory); the audit trail shows it as the
	// actor's username.
	System    string
	RequestID string
	Client    string // client address, for the audit trail
}

// Username returns the actor's username, or "" for an anonymous actor.
func (a *Actor) Username() string {
	if a == nil || a.Employee == nil {
		return ""
	}
	return a.Employee.Username
}
