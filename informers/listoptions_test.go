package informers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestFirstListIsConsistent(t *testing.T) {
	tweak := tweakListOptions("creator.drunc.daq")
	cases := []struct {
		name string
		in   metav1.ListOptions
		rv   string
	}{
		{"initial list from the watch cache becomes a consistent read", metav1.ListOptions{ResourceVersion: "0"}, ""},
		{"relist after 410 stays consistent", metav1.ListOptions{ResourceVersion: ""}, ""},
		{"relist at a known version is kept", metav1.ListOptions{ResourceVersion: "42", ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan}, "42"},
		{"watch resumes where it was", metav1.ListOptions{Watch: true, ResourceVersion: "0"}, "0"},
	}
	for _, c := range cases {
		o := c.in
		tweak(&o)
		if o.ResourceVersion != c.rv || o.LabelSelector != "creator.drunc.daq" {
			t.Errorf("%s: got rv %q selector %q, want rv %q", c.name, o.ResourceVersion, o.LabelSelector, c.rv)
		}
	}
}
