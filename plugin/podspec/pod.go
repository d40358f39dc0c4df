package podspec

import (
	"encoding/json"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// HostnameLabel is the node label drunc pins each process's pod with.
const HostnameLabel = "kubernetes.io/hostname"

func (r *renderer) pod(p *session.Process, net network, field string) (*corev1.Pod, session.Errors) {
	var errs session.Errors
	readout := r.isReadout(p)
	volumes, mounts := r.volumes(p, readout)
	c := corev1.Container{
		Name:         p.Name,
		Image:        r.image(p),
		Command:      []string{"/bin/bash", "-c"},
		Args:         []string{kubeletLiteral(Script(p))},
		WorkingDir:   p.WorkingDir,
		Env:          r.env(p),
		VolumeMounts: mounts,
	}
	if r.opts.RunAsUser != nil || r.opts.RunAsGroup != nil {
		c.SecurityContext = &corev1.SecurityContext{RunAsUser: r.opts.RunAsUser, RunAsGroup: r.opts.RunAsGroup}
	}
	if readout {
		if c.SecurityContext == nil {
			c.SecurityContext = &corev1.SecurityContext{}
		}
		c.SecurityContext.Privileged = ptr.To(true)
		c.SecurityContext.Capabilities = &corev1.Capabilities{Add: []corev1.Capability{"IPC_LOCK"}}
		res, err := r.readoutResources(p)
		if err != "" {
			errs.Add(p.Name, field+".host", "%s", err)
		}
		c.Resources = res
	}
	if isLCS(p) {
		c.Ports = []corev1.ContainerPort{{Name: "http-port", ContainerPort: net.nodePort}}
	}
	if p.Role() != session.RoleRootController && p.Role() != session.RoleSegmentController && !isLCS(p) {
		// drunc's C++ applications shut down cleanly on SIGQUIT.
		c.Lifecycle = &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{
			Exec: &corev1.ExecAction{Command: []string{"/bin/sh", "-c", "kill -QUIT 1"}},
		}}
	}
	record, err := r.bootRecord(p)
	if err != nil {
		errs.Add(p.Name, field, "%v", err)
	}
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name:        p.Name,
			Namespace:   r.s.Name,
			Labels:      r.podLabels(p),
			Annotations: map[string]string{session.BootRecordAnnotation: record},
		},
		Spec: corev1.PodSpec{
			NodeSelector:                  map[string]string{HostnameLabel: p.Host},
			HostNetwork:                   net.nodePort == 0,
			TerminationGracePeriodSeconds: ptr.To(int64(r.st.KillTimeout)),
			RestartPolicy:                 corev1.RestartPolicyNever,
			Containers:                    []corev1.Container{c},
			Volumes:                       volumes,
		},
	}
	if r.opts.RunAsUser != nil || r.opts.RunAsGroup != nil {
		pod.Spec.SecurityContext = &corev1.PodSecurityContext{
			RunAsUser: r.opts.RunAsUser, RunAsGroup: r.opts.RunAsGroup, FSGroup: r.opts.RunAsGroup,
		}
	}
	return pod, errs
}

func (r *renderer) image(p *session.Process) string {
	if p.Image != "" {
		return p.Image
	}
	return r.st.Image
}

// isReadout: drunc matches readout_app_selector against the name,
// case-insensitively.
func (r *renderer) isReadout(p *session.Process) bool {
	sel := strings.ToLower(r.st.ReadoutAppSelector)
	return sel != "" && strings.Contains(strings.ToLower(p.Name), sel)
}

// env is the process env plus USER, HOME and DOTDRUNC (sorted by name, so
// the pod spec is stable), and POD_IP for the root controller.
func (r *renderer) env(p *session.Process) []corev1.EnvVar {
	vars := map[string]string{}
	for k, v := range p.Env {
		vars[k] = v
	}
	vars["USER"] = r.s.User
	home := ""
	if r.st.HomePathBase != "" {
		home = r.st.HomePathBase + "/" + r.s.User
		vars["HOME"] = home
	}
	if _, ok := vars["DOTDRUNC"]; !ok {
		if home != "" {
			vars["DOTDRUNC"] = home + "/.drunc.json"
		} else {
			vars["DOTDRUNC"] = "~/.drunc.json"
		}
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	env := make([]corev1.EnvVar, 0, len(names)+1)
	for _, k := range names {
		env = append(env, corev1.EnvVar{Name: k, Value: kubeletLiteral(vars[k])})
	}
	if p.Role() == session.RoleRootController {
		env = append(env, corev1.EnvVar{Name: PodIPVar, ValueFrom: &corev1.EnvVarSource{
			FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"},
		}})
	}
	return env
}

// readoutResources are the host's resources from settings.host_configs; a
// readout application on a host missing there is an error, as in drunc.
func (r *renderer) readoutResources(p *session.Process) (corev1.ResourceRequirements, string) {
	hc, ok := r.st.HostConfigs[p.Host]
	if !ok {
		return corev1.ResourceRequirements{}, "readout application (name contains \"" + r.st.ReadoutAppSelector +
			"\") on host \"" + p.Host + "\", which has no entry in the process-manager settings: add settings.host_configs.\"" +
			p.Host + "\" (limits/requests) to the --pm-config file"
	}
	lim, err1 := resourceList(hc.Limits)
	req, err2 := resourceList(hc.Requests)
	if err1 != "" || err2 != "" {
		return corev1.ResourceRequirements{}, "settings.host_configs.\"" + p.Host + "\": " + err1 + err2
	}
	return corev1.ResourceRequirements{Limits: lim, Requests: req}, ""
}

func resourceList(m map[string]string) (corev1.ResourceList, string) {
	if len(m) == 0 {
		return nil, ""
	}
	out := corev1.ResourceList{}
	for k, v := range m {
		q, err := resource.ParseQuantity(v)
		if err != nil {
			return nil, k + ": " + v + " is not a resource quantity"
		}
		out[corev1.ResourceName(k)] = q
	}
	return out, ""
}

func (r *renderer) bootRecord(p *session.Process) (string, error) {
	st, err := json.Marshal(r.st.ForHost(p.Host))
	if err != nil {
		return "", err
	}
	return session.EncodeBootRecord(&session.BootRecord{
		Session: r.s.Name, User: r.s.User, Process: *p,
		RunAsUser: r.opts.RunAsUser, RunAsGroup: r.opts.RunAsGroup, Settings: st,
	})
}
