// Package rbac is the one definition of the permissions kubectl-drunc needs:
// `kubectl drunc rbac` prints it and deploy/rbac.yaml is generated from it.
package rbac

import rbacv1 "k8s.io/api/rbac/v1"

// RoleName is the ClusterRole every binding refers to.
const RoleName = "kubectl-drunc"

// NodesRoleName is the cluster-scoped read of nodes that a namespace-scoped
// grant still needs (boot checks the hosts it pins pods to).
const NodesRoleName = "kubectl-drunc-nodes"

// Rules are the least the verbs call; each line says who needs it, so a
// permission nobody uses is easy to spot and drop.
func Rules() []rbacv1.PolicyRule {
	return []rbacv1.PolicyRule{
		// boot creates the session namespace and checks it is not terminating;
		// terminate deletes it; -A and completion list sessions.
		rule("namespaces", "get", "list", "watch", "create", "delete"),
		// boot/restart create; ps, wait, kill, logs watch through the informer;
		// kill, terminate, flush, restart delete; describe gets.
		rule("pods", "get", "list", "watch", "create", "delete"),
		// logs.
		rule("pods/log", "get"),
		// boot/restart create one per process; kill, flush, terminate delete.
		rule("services", "get", "list", "create", "delete"),
		// the session record (plugin/sessionrecord): boot creates it, kill,
		// flush and restart update it; ps, status, flush and restart list
		// every record at once (labelled kubectl-drunc/record) and ps -w
		// watches them; terminate removes it with the namespace.
		rule("configmaps", "get", "list", "watch", "create", "update"),
		// boot and restart list nodes to refuse unknown, NotReady, cordoned
		// and tainted hosts; status watches them to report such hosts and
		// lost ones; restart reads the node of a process it probes.
		nodeRule(),
		// boot/wait summaries and describe show a pod's last events; status
		// shows the last Warning; events lists and streams them.
		rule("events", "list", "watch"),
	}
}

// NodeRules is the cluster-scoped part of Rules, for namespace-scoped grants.
func NodeRules() []rbacv1.PolicyRule { return []rbacv1.PolicyRule{nodeRule()} }

func nodeRule() rbacv1.PolicyRule { return rule("nodes", "get", "list", "watch") }

func rule(resource string, verbs ...string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{resource}, Verbs: verbs}
}
