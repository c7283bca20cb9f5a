package web

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// Languages the interface speaks; bokmål is the default.
var Languages = []string{"nb", "nn", "en"}

// DefaultLang is used when nothing else is chosen.
const DefaultLang = "nb"

// localeFS holds the catalogs: one file per feature and language, named
// <feature>.<lang>.yaml, so features add their texts without touching each
// other's files.
//
//go:embed locales/*.yaml
var localeFS embed.FS

// Catalog holds the message catalogs of every language.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
}

// LoadCatalog reads the embedded catalogs.
func LoadCatalog() (*Catalog, error) {
	b := i18n.NewBundle(language.MustParse("nb"))
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	c := &Catalog{bundle: b, localizers: map[string]*i18n.Localizer{}}
	for _, lang := range Languages {
		files, err := fs.Glob(localeFS, "locales/*."+lang+".yaml")
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("no catalog for %s", lang)
		}
		for _, f := range files {
			if _, err := b.LoadMessageFileFS(localeFS, f); err != nil {
				return nil, fmt.Errorf("load catalog %s: %w", f, err)
			}
		}
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// T translates a message id into lang. Data, if given, fills the message's
// template ({{.Name}}). A missing message shows its id in brackets so that
// it is noticed (and the catalog test fails).
func (c *Catalog) T(lang, id string, data map[string]any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[DefaultLang]
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || s == "" {
		return "[" + id + "]"
	}
	return s
}

// PickLang chooses a supported language from an explicit choice, then the
// Accept-Language header, then the default.
func PickLang(choice, acceptLanguage string) string {
	if isLang(choice) {
		return choice
	}
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case tag == "nn" || strings.HasPrefix(tag, "nn-"):
			return "nn"
		case tag == "nb" || tag == "no" || strings.HasPrefix(tag, "nb-") || strings.HasPrefix(tag, "no-"):
			return "nb"
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return "en"
		}
	}
	return DefaultLang
}

func isLang(s string) bool {
	for _, l := range Languages {
		if s == l {
			return true
		}
	}
	return false
}
