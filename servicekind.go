package samordna

// This file says, for each kind of service, which sector it belongs to
// (seed 002 §3: "Dagens tilbud gis i dag av flere sektorer og enheter") and
// which confidentiality regime its employees work under (seed 002 §2.3 and
// §4: "Det gjelder etter vår lovgivning tre sett av regler om
// taushetsplikt"). The common consent form lists the regimes of the
// services present (seed 002 §5.2).

// Sector is a part of the municipal organisation that services belong to.
type Sector string

// The sectors of seed 002 §3 (Hammerfest), and NAV and "other" for services
// outside them.
const (
	SectorCare       Sector = "care"        // sektor for pleie og omsorg (PLO)
	SectorHealth     Sector = "health"      // sektor for helse
	SectorEducation  Sector = "education"   // skole og oppvekst
	SectorCulture    Sector = "culture"     // sektor for kultur og idrett
	SectorEarlyYears Sector = "early_years" // sektor for barnehage
	SectorNAV        Sector = "nav"         // NAV-kontoret (stat og kommune)
	SectorOther      Sector = "other"
)

// Sectors lists the sectors in display order.
var Sectors = []Sector{SectorCare, SectorHealth, SectorEducation, SectorCulture, SectorEarlyYears, SectorNAV, SectorOther}

// Regime is one of the three sets of rules on confidentiality (seed 002
// §2.3, "Definisjon Taushetsplikt").
type Regime string

// The three confidentiality regimes.
const (
	// RegimeHealthPersonnel: helsepersonelloven § 21; consent lifts it by
	// § 22.
	RegimeHealthPersonnel Regime = "health_personnel"
	// RegimeAdministration: the general duty of forvaltningsloven § 13;
	// consent lifts it by § 13a.
	RegimeAdministration Regime = "administration"
	// RegimeServiceLaw: the stricter rules of a service law
	// (barnevernsloven, sosialtjenesteloven, helse- og omsorgstjenesteloven
	// § 12-1); consent lifts them as the law says.
	RegimeServiceLaw Regime = "service_law"
)

// Regimes lists the regimes in the seed's order.
var Regimes = []Regime{RegimeHealthPersonnel, RegimeAdministration, RegimeServiceLaw}

// KindInfo is what Samordna knows about a kind of service.
type KindInfo struct {
	Kind   ServiceKind
	Sector Sector
	Regime Regime
	// Law names the act the service's duty of confidentiality follows from,
	// as the consent form prints it (Norwegian law names in every
	// language).
	Law string
}

// ServiceKinds lists every kind of service with its sector and regime, in
// the order the forms offer them (grouped by sector).
var ServiceKinds = []KindInfo{
	{ServiceRespite, SectorCare, RegimeServiceLaw, "helse- og omsorgstjenesteloven § 12-1"},
	{ServiceHomeCare, SectorCare, RegimeHealthPersonnel, "helsepersonelloven § 21"},
	{ServiceCoordinatingUnit, SectorCare, RegimeHealthPersonnel, "helsepersonelloven § 21"},
	{ServiceGP, SectorHealth, RegimeHealthPersonnel, "helsepersonelloven § 21"},
	{ServicePhysioErgo, SectorHealth, RegimeHealthPersonnel, "helsepersonelloven § 21"},
	{ServiceHealthStation, SectorHealth, RegimeHealthPersonnel, "helsepersonelloven § 21"},
	{ServiceMentalHealth, SectorHealth, RegimeHealthPersonnel, "helsepersonelloven § 21"},
	{ServiceSchool, SectorEducation, RegimeAdministration, "forvaltningsloven § 13 (opplæringslova)"},
	{ServicePPT, SectorEducation, RegimeAdministration, "forvaltningsloven § 13 (opplæringslova)"},
	{ServiceChildWelfare, SectorEducation, RegimeServiceLaw, "barnevernsloven § 13-1"},
	{ServiceImmigrant, SectorEducation, RegimeAdministration, "forvaltningsloven § 13"},
	{ServiceYouth, SectorCulture, RegimeAdministration, "forvaltningsloven § 13"},
	{ServiceOutreach, SectorCulture, RegimeAdministration, "forvaltningsloven § 13"},
	{ServiceSupportContact, SectorCulture, RegimeServiceLaw, "helse- og omsorgstjenesteloven § 12-1"},
	{ServiceKindergarten, SectorEarlyYears, RegimeAdministration, "forvaltningsloven § 13 (barnehageloven § 44)"},
	{ServiceNAV, SectorNAV, RegimeServiceLaw, "sosialtjenesteloven § 44 og NAV-loven § 7"},
	{ServiceOther, SectorOther, RegimeAdministration, "forvaltningsloven § 13"},
}

// Info returns what Samordna knows about the kind; an unknown kind is
// treated as "other".
func (k ServiceKind) Info() KindInfo {
	for _, x := range ServiceKinds {
		if x.Kind == k {
			return x
		}
	}
	return KindInfo{Kind: k, Sector: SectorOther, Regime: RegimeAdministration, Law: "forvaltningsloven § 13"}
}

// Valid reports whether k is a known kind of service.
func (k ServiceKind) Valid() bool {
	for _, x := range ServiceKinds {
		if x.Kind == k {
			return true
		}
	}
	return false
}
