package informers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestListIsConsistentAndWhole(t *testing.T) {
	tweak := tweakListOptions("creator.drunc.daq")
	cases := []struct {
		name  string
		in    metav1.ListOptions
		rv    string
		limit int64
	}{
		{"initial list from the watch cache becomes a consistent read, unpaged", metav1.ListOptions{ResourceVersion: "0", Limit: 500}, "", 0},
		{"relist after 410 stays consistent, unpaged", metav1.ListOptions{ResourceVersion: "", Limit: 500}, "", 0},
		{"relist at a known version is kept", metav1.ListOptions{ResourceVersion: "42", ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan}, "42", 0},
		{"watch resumes where it was", metav1.ListOptions{Watch: true, ResourceVersion: "0"}, "0", 0},
	}
	for _, c := range cases {
		o := c.in
		tweak(&o)
		if o.ResourceVersion != c.rv || o.Limit != c.limit || o.LabelSelector != "creator.drunc.daq" {
			t.Errorf("%s: got rv %q limit %d selector %q, want rv %q limit %d", c.name, o.ResourceVersion, o.Limit, o.LabelSelector, c.rv, c.limit)
		}
	}
}
