package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/samordna/samordna"
)

// A request type says what each of its text fields holds with a `text`
// tag next to its `json` tag: `text:"name"`, or `text:"long,5000"` where a
// rule of the domain allows less than the kind's own maximum (see
// samordna.ParseTextSpec). The decoder checks every text field by it
// (CheckFields) and the OpenAPI document describes it (requestSchema), so
// the limits and their documentation come from one place.

// untaggedText is the kind a text field without a `text` tag is checked
// as. TestEveryRequestTextFieldHasAKind fails on such a field, so this only
// bounds a field added without one until the test runs.
const untaggedText = samordna.TextShort

// rawMessageType is json.RawMessage: kept raw on purpose (read-only fields
// sent back, or a value of two types the handler parses).
var rawMessageType = reflect.TypeFor[json.RawMessage]()

// fieldText returns the text kind and maximum of a struct field; ok is
// false when it has no valid `text` tag.
func fieldText(f reflect.StructField) (kind samordna.TextKind, max int, ok bool) {
	spec, has := f.Tag.Lookup("text")
	if !has {
		return untaggedText, untaggedText.MaxChars(), false
	}
	kind, max, ok = samordna.ParseTextSpec(spec)
	if !ok {
		return untaggedText, untaggedText.MaxChars(), false
	}
	return kind, max, true
}

// jsonName returns the JSON name of a struct field, "" when it is not
// (de)serialised.
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "-" || !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name
}

// CheckFields checks every text field of the decoded request v with
// samordna.CheckText by its `text` tag; the error names the field by its
// JSON path (e.g. "subject.name", "members[2].relation").
func CheckFields(v any) error {
	return checkValue(reflect.ValueOf(v), "", untaggedText, untaggedText.MaxChars())
}

func checkValue(v reflect.Value, path string, kind samordna.TextKind, max int) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkValue(v.Elem(), path, kind, max)
	case reflect.String:
		return samordna.CheckText(path, kind, max, v.String())
	case reflect.Slice, reflect.Array:
		if v.Type() == rawMessageType || v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkValue(v.Index(i), path+"["+strconv.Itoa(i)+"]", kind, max); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			p := joinPath(path, iter.Key().String())
			if err := samordna.CheckText(p, samordna.TextCode, 0, iter.Key().String()); err != nil {
				return err
			}
			if err := checkValue(iter.Value(), p, kind, max); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous && f.Tag.Get("json") == "" {
				if err := checkValue(v.Field(i), path, kind, max); err != nil {
					return err
				}
				continue
			}
			name := jsonName(f)
			if name == "" {
				continue
			}
			k, m, _ := fieldText(f)
			if err := checkValue(v.Field(i), joinPath(path, name), k, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkDuplicateKeys refuses an object holding the same key twice,
// compared as encoding/json matches keys to fields (case-insensitively),
// so that no key can silently override another. raw is already known to be
// valid JSON.
func checkDuplicateKeys(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return scanValue(dec, "")
}

func scanValue(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return nil // the strict decode has reported any syntax error
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil
			}
			key, _ := kt.(string)
			folded := strings.ToLower(key)
			p := joinPath(path, key)
			if seen[folded] {
				return samordna.Errorf(samordna.KindInvalid, "duplicate_key", "the key %s appears more than once", p)
			}
			seen[folded] = true
			if err := scanValue(dec, p); err != nil {
				return err
			}
		}
		_, _ = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := scanValue(dec, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, _ = dec.Token()
	}
	return nil
}

// requestSchema describes the request type t as a JSON Schema for the
// OpenAPI document: objects with their properties, text fields with their
// maxLength (from the same `text` tags CheckFields enforces).
func requestSchema(t reflect.Type, kind samordna.TextKind, max int) map[string]any {
	switch t.Kind() {
	case reflect.Pointer:
		return requestSchema(t.Elem(), kind, max)
	case reflect.String:
		s := map[string]any{"type": "string", "maxLength": max}
		if kind == samordna.TextID {
			s["description"] = "an id: never a fødselsnummer or D-nummer"
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t == rawMessageType {
			return map[string]any{}
		}
		return map[string]any{"type": "array", "items": requestSchema(t.Elem(), kind, max)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": requestSchema(t.Elem(), kind, max)}
	case reflect.Struct:
		props := map[string]any{}
		addProperties(t, props)
		return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	}
	return map[string]any{}
}

func addProperties(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("json") == "" && f.Type.Kind() == reflect.Struct {
			addProperties(f.Type, props)
			continue
		}
		name := jsonName(f)
		if name == "" {
			continue
		}
		k, m, _ := fieldText(f)
		props[name] = requestSchema(f.Type, k, m)
	}
}
