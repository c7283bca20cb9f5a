package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The routine pages render in bokmål, nynorsk and English with no message
// id missing, and the concern form works without JavaScript (a plain form
// post answered with a redirect to the case's routine).
func TestRoutinePagesInEveryLanguage(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, store.SQLite))
	c := e.employeeLogin()
	fnr := samordna.SyntheticIDNumber(time.Date(2017, 2, 3, 0, 0, 0, 0, time.UTC), 9)
	r := e.post("/concerns", url.Values{"situation": {"known_family"}, "anonymous": {"no"}, "fnr": {fnr}, "name": {"Liv Test"},
		"routine": {"ulstein-rus-sped-smabarn"}, "description": {"Kjent rusproblematikk i familien."}}, c)
	if r.status != http.StatusSeeOther || !strings.HasSuffix(r.location(), "/routine?done=registered") {
		t.Fatalf("POST /concerns: %d %q\n%s", r.status, r.location(), r.body)
	}
	casePage := strings.TrimSuffix(r.location(), "?done=registered")
	// The refused consent (row 3) offers the written report (row 5), in the page too.
	e.emp.Roles = append(e.emp.Roles, samordna.RoleEmployee)
	actor := &samordna.Actor{Employee: e.emp}
	list, err := e.app.ListTasks(context.Background(), actor, app.TaskQuery{AssignedToMe: true})
	if err != nil || len(list.Tasks) != 1 {
		t.Fatalf("tasks: %v %v", list, err)
	}
	r = e.post("/tasks/"+list.Tasks[0].ID+"/complete", url.Values{"outcome": {"refused"}, "return": {casePage}}, c)
	if r.status != http.StatusSeeOther || !strings.Contains(r.location(), "done=task_completed") {
		t.Fatalf("complete: %d %q", r.status, r.location())
	}
	want := map[string][]string{
		"nb": {"Skrifteleg melding til barnevernet", "Innen 1 uke", "Samtykke nektet"},
		"nn": {"Skrifteleg melding til barnevernet", "Innan 1 veke", "Samtykke nekta"},
		"en": {"Skrifteleg melding til barnevernet", "Within 1 week", "Consent refused"},
	}
	for _, lang := range []string{"nb", "nn", "en"} {
		lc := &http.Cookie{Name: "samordna_lang", Value: lang}
		for _, p := range []string{"/", "/concerns/new", casePage, "/tasks", "/tasks?show=done", "/routines", "/reports", "/notifications"} {
			r := e.get(p, c, lc)
			if r.status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, p, r.status)
				continue
			}
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: no lang", lang, p)
			}
			if m := missingID.FindAllString(r.body, -1); len(m) > 0 {
				t.Errorf("%s %s shows untranslated ids %v", lang, p, m)
			}
		}
		body := e.get(casePage, c, lc).body
		for _, s := range want[lang] {
			if !strings.Contains(body, s) {
				t.Errorf("%s routine view lacks %q", lang, s)
			}
		}
	}
	// Somebody else's case is not found, on every routine page of it.
	if r := e.get("/cases/"+samordna.NewID()+"/routine", c); r.status != http.StatusNotFound {
		t.Errorf("an unknown case's routine: %d", r.status)
	}
}

// Seed 000: "The discoverer should not be alone in that conversation." The
// routine page's consultation form asks who took part besides the
// discoverer, shows them, and warns on a consultation where nobody was named.
func TestConsultationParticipantsOnRoutinePage(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, store.SQLite))
	c := e.employeeLogin()
	casePage, caseID := e.anonymousConcern(c, "En elev virker redd.")
	nb := &http.Cookie{Name: "samordna_lang", Value: "nb"}
	if body := e.get(casePage, c, nb).body; !strings.Contains(body, `name="participants"`) ||
		!strings.Contains(body, "Hvem deltok i samtalen i tillegg til deg") {
		t.Fatal("the consultation form does not ask who took part")
	}
	for _, who := range []string{"Nils Leder (leder)", ""} {
		r := e.post("/cases/"+caseID+"/consultations", url.Values{"with": {"leader"}, "mode": {"anonymous"},
			"adviser_name": {"Nils Leder"}, "participants": {who}, "advice": {"Snakk med foreldrene."}}, c)
		if r.status != http.StatusSeeOther {
			t.Fatalf("POST consultation: %d\n%s", r.status, r.body)
		}
	}
	body := e.get(casePage, c, nb).body
	if !strings.Contains(body, "Nils Leder (leder)") {
		t.Error("the page does not show who took part")
	}
	if strings.Count(body, "den som oppdaget skal ikke være alene i samtalen.") != 1 {
		t.Error("the page does not warn exactly once, on the consultation where nobody was named")
	}
}

// Seed 000: "KE or Fagavdeling Oppvekst help you find where": the
// consultation form offers the coordinating unit and the specialist
// department, named in each language.
func TestConsultationFormOffersCoordinatingUnit(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, store.SQLite))
	c := e.employeeLogin()
	casePage, _ := e.anonymousConcern(c, "En elev virker redd.")
	want := map[string]string{"nb": ">Koordinerende enhet<", "nn": ">Koordinerande eining<", "en": ">The coordinating unit<"}
	for lang, label := range want {
		body := e.get(casePage, c, &http.Cookie{Name: "samordna_lang", Value: lang}).body
		if !strings.Contains(body, `value="coordinating_unit"`) || !strings.Contains(body, `value="specialist_department"`) ||
			!strings.Contains(body, label) {
			t.Errorf("%s: the consultation form does not offer the coordinating unit and the specialist department", lang)
		}
	}
}
