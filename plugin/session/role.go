package session

import "strings"

// Role is what drunc's manager writes in the role.<label> pod label.
type Role string

// The roles, as drunc names them.
const (
	RoleRootController    Role = "root-controller"
	RoleSegmentController Role = "segment-controller"
	RoleApplication       Role = "application"
	RoleInfrastructure    Role = "infrastructure-applications"
	RoleUnknown           Role = "unknown"
)

// ControllerExecutable marks a process as a controller.
const ControllerExecutable = "drunc-controller"

// lcsNameMarker identifies the local connection server by name, as drunc does.
const lcsNameMarker = "local-connection-server"

// IsController reports whether one of the executables is drunc-controller.
func (p *Process) IsController() bool {
	for _, e := range p.Executables {
		if e.Exec == ControllerExecutable {
			return true
		}
	}
	return false
}

// IsLCS reports whether the process is the local connection server.
func (p *Process) IsLCS() bool { return strings.Contains(p.Name, lcsNameMarker) }

// Role derives the process role from its executables and tree id, with
// drunc's rules: it is never given by the user.
func (p *Process) Role() Role { return DeriveRole(p.TreeID, p.IsController()) }

// DeriveRole is Role for a bare tree id and controller flag.
func DeriveRole(treeID string, controller bool) Role {
	switch {
	case treeID == "":
		return RoleUnknown
	case controller && treeID == "0":
		return RoleRootController
	case strings.HasPrefix(treeID, "0."):
		if controller {
			return RoleSegmentController
		}
		return RoleApplication
	default:
		return RoleInfrastructure
	}
}

// Depth is the tree level: "0" and "1" are 0, "0.1" is 1, "0.1.2" is 2.
func Depth(treeID string) int {
	if treeID == "" {
		return 0
	}
	return strings.Count(treeID, ".")
}
