package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeTags are the rule sets CheckAxe runs: WCAG 2.0 and 2.1, levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeNode is one element that breaks a rule.
type AxeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// AxeViolation is one broken rule and the elements that break it.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Tags    []string  `json:"tags"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeResult is the summary of one axe run.
type AxeResult struct {
	Version    string         `json:"version"`
	URL        string         `json:"url"`
	Passes     int            `json:"passes"`
	Incomplete int            `json:"incomplete"`
	Violations []AxeViolation `json:"violations"`
}

// RunAxe injects axe-core into the page (once per document) and runs it on
// the whole document with the AxeTags rules.
func RunAxe(t testing.TB, ctx context.Context) AxeResult {
	t.Helper()
	src := axeSource(t)
	tags := `'` + strings.Join(AxeTags, `','`) + `'`
	run := `axe.run(document, {runOnly: {type: 'tag', values: [` + tags + `]}, resultTypes: ['violations']})
		.then(r => ({
			version: r.testEngine.version,
			url: r.url,
			passes: r.passes.length,
			incomplete: r.incomplete.length,
			violations: r.violations.map(v => ({
				id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
				tags: v.tags.filter(t => t.startsWith('wcag')),
				nodes: v.nodes.map(n => ({
					target: n.target.map(x => Array.isArray(x) ? x.join(' >>> ') : String(x)),
					html: n.html,
					summary: n.failureSummary || '',
				})),
			})),
		}))`
	Do(t, ctx, "inject axe-core", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		loaded, err := chromedp.Evaluate[bool](`typeof window.axe === 'object' && typeof window.axe.run === 'function'`)(ctx, tg)
		if err != nil || loaded {
			return err
		}
		_, err = chromedp.Evaluate[chromedp.Void](src)(ctx, tg)
		return err
	}))
	res := Run(t, ctx, "run axe-core", chromedp.Evaluate[AxeResult](run, chromedp.EvalAwaitPromise))
	if res.Passes == 0 {
		t.Fatalf("axe-core checked nothing on %s: is the page empty?", res.URL)
	}
	return res
}

// CheckAxe runs axe-core on the current page and fails the test for every
// WCAG 2.1 A/AA violation, listing its id, impact, help and the elements.
// label names the page in the failure ("login page, nynorsk").
func CheckAxe(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	res := RunAxe(t, ctx)
	if len(res.Violations) == 0 {
		t.Logf("axe %s: %s: no violations (%d rules passed)", res.Version, label, res.Passes)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s: %s (%s): %d WCAG 2.1 A/AA violation(s):", res.Version, label, res.URL, len(res.Violations))
	for _, v := range res.Violations {
		fmt.Fprintf(&b, "\n  - %s (%s): %s [%s]\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Tags, ","), v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n      %s  %s", strings.Join(n.Target, " "), n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n        %s", strings.ReplaceAll(n.Summary, "\n", "\n        "))
			}
		}
	}
	t.Error(b.String())
}
