package process

import (
	"strings"
	"testing"
)

func TestSortTree(t *testing.T) {
	in := []View{
		{Session: "b", Name: "z-root", TreeID: "0"},
		{Session: "a", Name: "ru-02", TreeID: "0.1.1"},
		{Session: "a", Name: "lcs", TreeID: "1"},
		{Session: "a", Name: "seg-b", TreeID: "0.0"},
		{Session: "a", Name: "ru-01", TreeID: "0.1.0"},
		{Session: "a", Name: "root", TreeID: "0"},
		{Session: "a", Name: "seg-a", TreeID: "0.1"},
		{Session: "a", Name: "df-01", TreeID: "0.1.2"},
		{Session: "a", Name: "stray", TreeID: ""},
		{Session: "a", Name: "orphan", TreeID: "0.7.1"},
		{Session: "a", Name: "app-b", TreeID: "0.0.0"},
	}
	SortTree(in)
	var got []string
	for _, v := range in {
		got = append(got, v.Session+"/"+v.Name)
	}
	// Top level by tree id (orphans too), children by tree id under their
	// parent (the configuration's order), processes without a tree id
	// last, sessions by name.
	want := "a/root a/seg-b a/app-b a/seg-a a/ru-01 a/ru-02 a/df-01 a/orphan a/lcs a/stray b/z-root"
	if strings.Join(got, " ") != want {
		t.Errorf("order:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

// A filtered selection (parents absent) keeps its order in the session.
func TestSortTreeSelection(t *testing.T) {
	in := []View{
		{Name: "df-01", TreeID: "0.1.0"},
		{Name: "ru-02", TreeID: "0.0.0.1"},
		{Name: "ru-01", TreeID: "0.0.0.0"},
		{Name: "x-10", TreeID: "0.10"},
		{Name: "x-9", TreeID: "0.9"},
	}
	SortTree(in)
	var got []string
	for _, v := range in {
		got = append(got, v.Name)
	}
	if want := "ru-01 ru-02 df-01 x-9 x-10"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}

func TestCompareTreeIDs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"0.9", "0.10.2", -1}, {"0.10", "0.9", 1}, {"0.1", "0.1.0", -1}, {"0.1.0", "0.1", 1},
		{"1", "1", 0}, {"0.a", "0.b", -1}, {"0.2", "0.x", -1}, {"", "0", -1},
	} {
		if got := compareTreeIDs(c.a, c.b); got != c.want {
			t.Errorf("compareTreeIDs(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
