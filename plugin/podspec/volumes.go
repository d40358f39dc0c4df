package podspec

import (
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// readoutOnlyVolumes are settings volumes drunc mounts into readout
// applications only (device access and NIC firmware).
var readoutOnlyVolumes = map[string]bool{"hugepages": true, "vfio": true, "intel-firmware": true}

// volumes are, in drunc's order: hugepages (readout apps), the settings
// volumes, the user's home (unless a mount covers it), the log directory,
// the data mount (unless it is the log directory). Every hostPath is
// mounted at its own path.
func (r *renderer) volumes(p *session.Process, readout bool) ([]corev1.Volume, []corev1.VolumeMount) {
	var vols []corev1.Volume
	var mounts []corev1.VolumeMount
	add := func(v corev1.Volume, m corev1.VolumeMount) {
		for _, have := range mounts {
			if have.Name == m.Name || have.MountPath == m.MountPath {
				return // a mount path can be used once per container
			}
		}
		vols = append(vols, v)
		mounts = append(mounts, m)
	}
	if readout {
		add(corev1.Volume{Name: "hugepages", VolumeSource: corev1.VolumeSource{
			EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumHugePages},
		}}, corev1.VolumeMount{Name: "hugepages", MountPath: "/dev/hugepages"})
	}
	for _, v := range r.st.Volumes {
		if readoutOnlyVolumes[v.Name] && !readout {
			continue
		}
		add(hostPath(v.Name, v.HostPath, corev1.HostPathDirectory),
			corev1.VolumeMount{Name: v.Name, MountPath: v.MountPath, ReadOnly: v.ReadOnly})
	}
	if r.st.HomePathBase != "" {
		home := r.st.HomePathBase + "/" + r.s.User
		if !covered(mounts, home) {
			name := "home-" + strings.ToLower(r.s.User)
			if len(validation.IsDNS1123Label(name)) > 0 {
				name = "home"
			}
			add(hostPath(name, home, corev1.HostPathDirectory), corev1.VolumeMount{Name: name, MountPath: home})
		}
	}
	logDir := ""
	if p.LogPath != "" {
		logDir = path.Dir(p.LogPath)
		add(hostPath("log-mount", logDir, corev1.HostPathDirectoryOrCreate), corev1.VolumeMount{Name: "log-mount", MountPath: logDir})
	}
	if data := dataMount(p); data != "" && data != logDir {
		add(hostPath("data-mount", data, corev1.HostPathDirectory), corev1.VolumeMount{Name: "data-mount", MountPath: data})
	}
	return vols, mounts
}

// dataMount resolves "." to the working directory, as drunc does.
func dataMount(p *session.Process) string {
	if path.Clean(p.DataMount) == "." && p.DataMount != "" {
		return p.WorkingDir
	}
	return strings.TrimSuffix(p.DataMount, "/")
}

func covered(mounts []corev1.VolumeMount, dir string) bool {
	for _, m := range mounts {
		if m.MountPath == dir || strings.HasPrefix(dir, strings.TrimSuffix(m.MountPath, "/")+"/") {
			return true
		}
	}
	return false
}

func hostPath(name, p string, t corev1.HostPathType) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
		HostPath: &corev1.HostPathVolumeSource{Path: p, Type: &t},
	}}
}
