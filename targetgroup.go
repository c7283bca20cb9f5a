package samordna

// This file holds the target groups (brukergrupper med tilpassede behov)
// of seed 002 §2.3 (Hammerfest): the user groups a case or a team matter
// can be classified by, so that the counts say whom the services work
// with. Seed 002 §2.3 lists 13 groups under "Barn og ungdom" (14 lines
// with the heading) and 10 under "Voksne"; §4.1 and §4.2 name nine of the
// child groups as the user groups of the OST and the TSTs; §3.1 names the
// services that serve each group.

// TargetGroupAge says whether a target group is of children or adults.
type TargetGroupAge string

// The ages of target groups.
const (
	TargetChildren TargetGroupAge = "children" // barn og ungdom (0–18 år)
	TargetAdults   TargetGroupAge = "adults"   // voksne
)

// TargetGroup is one user group of seed 002 §2.3.
type TargetGroup struct {
	Code string
	Age  TargetGroupAge
	// The group's name in bokmål (the seed's wording), nynorsk and English.
	NB, NN, EN string
	// Team says the group is one of the nine user groups of the OST and the
	// TSTs (seed 002 §4.1 and §4.2).
	Team bool
	// Services are the municipal service kinds that serve the group, as seed
	// 002 §3.1 names them (services outside the municipality, such as BUP,
	// the police or the specialist health service, are left out).
	Services []ServiceKind
}

// Name returns the group's name in the language lang ("nb", "nn" or
// "en"; anything else gives bokmål).
func (g TargetGroup) Name(lang string) string {
	switch lang {
	case "nn":
		return g.NN
	case "en":
		return g.EN
	}
	return g.NB
}

// Service kinds used in the §3.1 lists below, shortened.
var (
	tgKG, tgSchool, tgHS, tgPPT, tgCW = ServiceKindergarten, ServiceSchool, ServiceHealthStation, ServicePPT, ServiceChildWelfare
	tgGP, tgMH, tgNAV, tgKE           = ServiceGP, ServiceMentalHealth, ServiceNAV, ServiceCoordinatingUnit
)

// TargetGroups is the catalog of seed 002 §2.3, children first, in the
// seed's order. The codes are stable: they are stored on cases and team
// matters.
var TargetGroups = []TargetGroup{
	{Code: "child_intellectual_disability", Age: TargetChildren, NB: "Barn med psykisk utviklingshemming",
		NN: "Born med psykisk utviklingshemming", EN: "Children with intellectual disability",
		Services: []ServiceKind{tgKG, tgSchool, tgPPT, tgKE, tgGP, tgHS, ServicePhysioErgo, ServiceRespite, ServiceSupportContact}},
	{Code: "child_physical_disability", Age: TargetChildren, NB: "Barn med fysisk utviklingshemming",
		NN: "Born med fysisk utviklingshemming", EN: "Children with physical disability",
		Services: []ServiceKind{tgKG, tgSchool, tgPPT, tgKE, tgGP, tgHS, ServicePhysioErgo, ServiceRespite, ServiceSupportContact}},
	{Code: "child_psychosocial", Age: TargetChildren, NB: "Barn med psykososiale vansker",
		NN: "Born med psykososiale vanskar", EN: "Children with psychosocial difficulties", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgPPT, tgKE, tgHS, tgGP, ServiceYouth, ServiceOutreach}},
	{Code: "child_mental_health", Age: TargetChildren, NB: "Barn med psykiske vansker",
		NN: "Born med psykiske vanskar", EN: "Children with mental health difficulties", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgCW, tgHS, tgPPT, tgMH, tgGP}},
	{Code: "child_substance", Age: TargetChildren, NB: "Barn med rusproblem",
		NN: "Born med rusproblem", EN: "Children with substance problems", Team: true,
		Services: []ServiceKind{tgSchool, tgHS, ServiceOutreach, tgCW, tgGP}},
	{Code: "child_neglect", Age: TargetChildren, NB: "Barn utsatt for omsorgssvikt",
		NN: "Born utsette for omsorgssvikt", EN: "Children exposed to neglect", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgCW, tgHS, tgPPT}},
	{Code: "child_abuse", Age: TargetChildren, NB: "Barn utsatt for overgrep",
		NN: "Born utsette for overgrep", EN: "Children exposed to abuse",
		Services: []ServiceKind{tgKG, tgSchool, tgCW, tgHS, tgPPT}},
	{Code: "child_of_parents_at_risk", Age: TargetChildren,
		NB: "Barn av foreldre med rus/psykiske problemer eller alvorlig sykdom",
		NN: "Born av foreldre med rus/psykiske problem eller alvorleg sjukdom",
		EN: "Children of parents with substance use, mental health problems or serious illness", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgCW, tgHS, tgPPT, ServiceOutreach, ServiceYouth}},
	{Code: "child_serious_illness", Age: TargetChildren, NB: "Barn med alvorlig sykdom",
		NN: "Born med alvorleg sjukdom", EN: "Children with serious illness", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgHS, tgGP, ServicePhysioErgo, ServiceHomeCare, tgNAV, tgKE}},
	{Code: "child_acquired_illness", Age: TargetChildren, NB: "Barn med ervervet sykdom",
		NN: "Born med erverva sjukdom", EN: "Children with acquired illness",
		Services: []ServiceKind{tgKG, tgSchool, tgHS, tgGP, ServicePhysioErgo, ServiceHomeCare, tgNAV, tgPPT, tgKE}},
	{Code: "child_other_culture", Age: TargetChildren, NB: "Barn med annen kulturbakgrunn",
		NN: "Born med annan kulturbakgrunn", EN: "Children with another cultural background", Team: true,
		Services: []ServiceKind{ServiceImmigrant, tgSchool, tgKG, tgHS}},
	{Code: "child_behaviour", Age: TargetChildren, NB: "Barn med adferdsvansker",
		NN: "Born med åtferdsvanskar", EN: "Children with behavioural difficulties", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgPPT, tgGP, ServiceYouth, ServiceOutreach, tgCW, tgHS}},
	{Code: "child_learning", Age: TargetChildren, NB: "Barn med lærevansker",
		NN: "Born med lærevanskar", EN: "Children with learning difficulties", Team: true,
		Services: []ServiceKind{tgKG, tgSchool, tgPPT}},

	{Code: "adult_intellectual_disability", Age: TargetAdults, NB: "Voksne med psykisk utviklingshemming",
		NN: "Vaksne med psykisk utviklingshemming", EN: "Adults with intellectual disability",
		Services: []ServiceKind{ServiceSupportContact, tgGP, tgKE, tgCW, tgNAV, ServicePhysioErgo}},
	{Code: "adult_physical_disability", Age: TargetAdults, NB: "Voksne med fysisk utviklingshemming",
		NN: "Vaksne med fysisk utviklingshemming", EN: "Adults with physical disability",
		Services: []ServiceKind{ServicePhysioErgo, tgGP, tgKE, ServiceHomeCare, ServiceSupportContact}},
	{Code: "adult_psychosocial", Age: TargetAdults, NB: "Voksne med psykososiale vansker",
		NN: "Vaksne med psykososiale vanskar", EN: "Adults with psychosocial difficulties",
		Services: []ServiceKind{tgGP, tgKE, tgMH}},
	{Code: "adult_mental_health", Age: TargetAdults, NB: "Voksne med psykiske vansker",
		NN: "Vaksne med psykiske vanskar", EN: "Adults with mental health difficulties",
		Services: []ServiceKind{tgMH, tgGP, tgKE, tgNAV, tgCW}},
	// Seed 002 §3.1's table lost this group's cell in the text we have; the
	// mental health and substance service, the GP, NAV (social services)
	// and child welfare are the services its neighbouring rows name.
	{Code: "adult_substance", Age: TargetAdults, NB: "Voksne med rusproblem",
		NN: "Vaksne med rusproblem", EN: "Adults with substance problems",
		Services: []ServiceKind{tgMH, tgGP, tgNAV, tgCW}},
	{Code: "adult_serious_illness", Age: TargetAdults, NB: "Voksne med alvorlig sykdom",
		NN: "Vaksne med alvorleg sjukdom", EN: "Adults with serious illness",
		Services: []ServiceKind{tgGP, ServicePhysioErgo, ServiceHomeCare, tgNAV, tgKE}},
	{Code: "adult_acquired_illness", Age: TargetAdults, NB: "Voksne med ervervet sykdom",
		NN: "Vaksne med erverva sjukdom", EN: "Adults with acquired illness",
		Services: []ServiceKind{tgGP, ServicePhysioErgo, ServiceHomeCare, tgNAV, tgKE}},
	{Code: "adult_other_culture", Age: TargetAdults, NB: "Voksne med annen kulturbakgrunn",
		NN: "Vaksne med annan kulturbakgrunn", EN: "Adults with another cultural background",
		Services: []ServiceKind{ServiceImmigrant}},
	{Code: "adult_offenders", Age: TargetAdults, NB: "Kriminelle voksne",
		NN: "Kriminelle vaksne", EN: "Adult offenders",
		Services: []ServiceKind{tgMH, tgNAV}},
	{Code: "adult_learning_cognitive", Age: TargetAdults, NB: "Voksne med lærevansker/kognitiv svikt",
		NN: "Vaksne med lærevanskar/kognitiv svikt", EN: "Adults with learning difficulties/cognitive impairment",
		Services: []ServiceKind{tgNAV, tgPPT}},
}

// TargetGroupByCode returns the group with the code and whether there is
// one.
func TargetGroupByCode(code string) (TargetGroup, bool) {
	for _, g := range TargetGroups {
		if g.Code == code {
			return g, true
		}
	}
	return TargetGroup{}, false
}

// MaxTargetGroups is how many target groups one case or matter may carry
// (seed 002 §3.1: "Brukergruppene hører hjemme innenfor flere av de
// overnevnte kategorier").
const MaxTargetGroups = 5

// ValidTargetGroups checks a classification: known codes, no repeats, at
// most MaxTargetGroups. It returns the codes in catalog order. Errors:
// invalid_target_group, too_many_target_groups (KindInvalid).
func ValidTargetGroups(codes []string) ([]string, error) {
	seen := map[string]bool{}
	for _, c := range codes {
		if _, ok := TargetGroupByCode(c); !ok {
			return nil, Errorf(KindInvalid, "invalid_target_group", "unknown target group %q", c)
		}
		seen[c] = true
	}
	if len(seen) > MaxTargetGroups {
		return nil, Errorf(KindInvalid, "too_many_target_groups", "choose at most %d target groups", MaxTargetGroups)
	}
	out := []string{}
	for _, g := range TargetGroups {
		if seen[g.Code] {
			out = append(out, g.Code)
		}
	}
	return out, nil
}
