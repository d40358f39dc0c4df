package oks

import (
	"fmt"
	"strconv"
	"strings"
)

func itoa(i int) string { return strconv.Itoa(i) }

// checkValue reports why a value does not fit an OKS type, or nil.
func checkValue(typ, rng, v string) error {
	switch typ {
	case "bool":
		switch strings.ToLower(v) {
		case "0", "1", "true", "false", "yes", "no", "on", "off":
			return nil
		}
		return fmt.Errorf("%q is not a bool (0 or 1)", v)
	case "s8", "s16", "s32", "s64":
		_, err := parseInt(v, bits(typ))
		return err
	case "u8", "u16", "u32", "u64":
		_, err := parseUint(v, bits(typ))
		return err
	case "float", "double":
		if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return fmt.Errorf("%q is not a %s", v, typ)
		}
	case "enum":
		if rng == "" {
			return nil
		}
		for _, allowed := range strings.Split(rng, ",") {
			if v == allowed {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, rng)
	}
	return nil
}

func bits(typ string) int {
	n, _ := strconv.Atoi(typ[1:])
	return n
}

// parseInt reads decimal, or hexadecimal with 0x; OKS writes both.
func parseInt(v string, size int) (int64, error) {
	s := strings.TrimSpace(v)
	base := 10
	if t, ok := cutHex(s); ok {
		s, base = t, 16
	}
	n, err := strconv.ParseInt(s, base, size)
	if err != nil {
		return 0, fmt.Errorf("%q is not an s%d", v, size)
	}
	return n, nil
}

func parseUint(v string, size int) (uint64, error) {
	s := strings.TrimSpace(v)
	base := 10
	if t, ok := cutHex(s); ok {
		s, base = t, 16
	}
	n, err := strconv.ParseUint(s, base, size)
	if err != nil {
		return 0, fmt.Errorf("%q is not a u%d", v, size)
	}
	return n, nil
}

func cutHex(s string) (string, bool) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return s[2:], true
	}
	return s, false
}
