package lifecycle

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func pod(ns, name, treeID string, role session.Role) *corev1.Pod {
	keys := session.Keys("")
	l := map[string]string{keys.Creator(): session.CreatorValue, keys.TreeID(): treeID}
	if role != "" {
		l[keys.Role()] = string(role)
	}
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: l}}
}

func TestKillStagesFollowDruncOrder(t *testing.T) {
	pods := []*corev1.Pod{
		pod("s", "local-connection-server", "1", session.RoleInfrastructure),
		pod("s", "root-controller", "0", session.RoleRootController),
		pod("s", "other-infra", "2", session.RoleInfrastructure),
		pod("s", "seg-a", "0.0", session.RoleSegmentController),
		pod("s", "seg-a-sub", "0.0.0", session.RoleSegmentController),
		pod("s", "ru-01", "0.0.0.1", session.RoleApplication),
		pod("s", "df-01", "0.1", session.RoleApplication),
		pod("s", "stray", "", ""),
		pod("t", "ru-01", "0.1", session.RoleApplication),
	}
	var got [][]string
	var names []string
	for _, st := range KillStages(pods, session.Keys("")) {
		names = append(names, st.Name)
		var ps []string
		for _, p := range st.Pods {
			ps = append(ps, p.Namespace+"/"+p.Name)
		}
		got = append(got, ps)
	}
	wantNames := []string{"unknown", "application", "segment-controller level 2", "segment-controller level 1",
		"root-controller", "infrastructure-applications", "local-connection-server"}
	want := [][]string{{"s/stray"}, {"s/df-01", "s/ru-01", "t/ru-01"}, {"s/seg-a-sub"}, {"s/seg-a"},
		{"s/root-controller"}, {"s/other-infra"}, {"s/local-connection-server"}}
	if !reflect.DeepEqual(names, wantNames) || !reflect.DeepEqual(got, want) {
		t.Fatalf("stages\n got %v %v\nwant %v %v", names, got, wantNames, want)
	}
}

func TestKillStagesDeriveRoleWithoutLabel(t *testing.T) {
	// drunc's Python pods always carry role; without it the tree id decides.
	p := pod("s", "app", "0.3", "")
	st := KillStages([]*corev1.Pod{p}, session.Keys(""))
	if len(st) != 1 || st[0].Name != "application" {
		t.Fatalf("got %+v", st)
	}
}

func TestKillStagesEmpty(t *testing.T) {
	if st := KillStages(nil, session.Keys("")); len(st) != 0 {
		t.Fatalf("got %+v", st)
	}
}
