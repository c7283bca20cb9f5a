package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// A disabled employee stays in the services and teams they belonged to
// (nothing is lost if they come back), but is never picked from them: a
// task of the mental health and substance service or of the resource group
// goes to the active members only, a duty-to-inform report reaches active
// members only, and overdue notices reach active leaders only.
func TestDisabledEmployeeIsNeverPickedFromServiceOrTeam(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		var serviceTask, teamTask *store.Task
		ids := func(got []string, err error) []string {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		var rus string
		err := db.Write(ctx, func(tx *store.Tx) error {
			svc, err := store.FirstServiceOfKind(tx, c.Case.MunicipalityID, samordna.ServiceMentalHealth)
			if err != nil {
				return err
			}
			rus = svc.ID
			now := w.clock.Now()
			serviceTask = &store.Task{CaseID: c.Case.ID, MunicipalityID: c.Case.MunicipalityID, Kind: store.TaskKindStep,
				Title: "Tjenestens oppgave", AssigneeKind: store.AssignService, ServiceID: rus, Status: store.TaskOpen,
				StartedAt: now, CreatedAt: now}
			teamTask = &store.Task{CaseID: c.Case.ID, MunicipalityID: c.Case.MunicipalityID, Kind: store.TaskKindStep,
				Title: "Ressursgruppas oppgave", AssigneeKind: store.AssignTeam, TeamID: w.teams["rg"].ID, Status: store.TaskOpen,
				StartedAt: now, CreatedAt: now}
			if err := store.CreateTask(tx, serviceTask); err != nil {
				return err
			}
			return store.CreateTask(tx, teamTask)
		})
		if err != nil {
			t.Fatal(err)
		}
		read := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := db.Read(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		read(func(tx *store.Tx) error {
			if got := ids(store.TaskAssigneeIDs(tx, serviceTask)); !slices.Contains(got, w.id("siv")) {
				t.Errorf("before: the service task's assignees %v lack siv", got)
			}
			return nil
		})

		// The administrator lets siv, per and siv's leader tor leave (team
		// places and leadership go to the successors; service memberships stay).
		if _, err := w.app.DisableUser(ctx, w.as("admin"), "siv", "tor"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.DisableEmployee(ctx, w.as("admin"), w.id("per"), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.DisableUser(ctx, w.as("admin"), "tor", "berit"); err != nil { // the service's leader
			t.Fatal(err)
		}
		read(func(tx *store.Tx) error {
			members := ids(store.ServiceMemberIDs(tx, rus))
			if !slices.Contains(members, w.id("siv")) {
				t.Errorf("siv left the service on disabling: %v", members)
			}
			for what, got := range map[string][]string{
				"service task":        ids(store.TaskAssigneeIDs(tx, serviceTask)),
				"resource group task": ids(store.TaskAssigneeIDs(tx, teamTask)),
				"duty to inform":      ids(store.ReportRecipientIDs(tx, c.Case.MunicipalityID, store.ReportDutyToInform)),
				"receiving leaders":   ids(store.ReceivingServiceLeaders(tx, c.Case.MunicipalityID, store.ReportDutyToInform)),
				"leaders of siv":      ids(store.LeadersOf(tx, []string{w.id("siv")})),
			} {
				for _, u := range []string{"siv", "per", "tor"} {
					if slices.Contains(got, w.id(u)) {
						t.Errorf("%s: disabled %s is picked (%v)", what, u, got)
					}
				}
			}
			if got := ids(store.TaskAssigneeIDs(tx, teamTask)); !slices.Contains(got, w.id("ingrid")) {
				t.Errorf("the resource group task lost its active member: %v", got)
			}
			return nil
		})
	})
}
