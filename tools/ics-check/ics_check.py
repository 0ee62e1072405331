#!/usr/bin/env python3
"""Check iCalendar files with libical, as a calendar client's iTIP
(RFC 5546) processing does.

    ics_check.py FILE...        (or "-" for standard input)

Each file is parsed by libical (through GObject introspection: Debian
packages gir1.2-ical-3.0 and python3-gi), must be one VCALENDAR with a
METHOD, and is checked with icalcomponent_check_restrictions, libical's
table of which properties each iTIP method requires, allows once or
forbids in each component (what a client runs before it acts on an
invitation). libical reports parse and restriction errors as X-LIC-ERROR
properties; every one of them is a failure.

Prints one JSON object per file ({"file", "method", "ok", "errors"}) and
exits 1 if any file fails, 2 if libical cannot be loaded.
"""
import json
import sys

try:
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib
except (ImportError, ValueError) as err:  # pragma: no cover - environment
    print("libical (ICalGLib 3.0) is not available: %s" % err, file=sys.stderr)
    print("install it: apt-get install -y gir1.2-ical-3.0 python3-gi", file=sys.stderr)
    sys.exit(2)


def errors_of(comp):
    """Every X-LIC-ERROR of comp and of the components it holds."""
    out = []
    prop = comp.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        out.append("%s: %s" % (ICalGLib.Component.kind_to_string(comp.isa()), prop.get_xlicerror()))
        prop = comp.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = comp.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        out.extend(errors_of(child))
        child = comp.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return out


def check(name, text):
    result = {"file": name, "method": "", "ok": False, "errors": []}
    comp = ICalGLib.Component.new_from_string(text)
    if comp is None:
        result["errors"].append("not iCalendar: libical parsed nothing")
        return result
    if comp.isa() != ICalGLib.ComponentKind.VCALENDAR_COMPONENT:
        result["errors"].append("top component is %s, want VCALENDAR" % ICalGLib.Component.kind_to_string(comp.isa()))
        return result
    if comp.get_first_property(ICalGLib.PropertyKind.METHOD_PROPERTY) is None:
        result["errors"].append("no METHOD: not an iTIP message")
    else:
        result["method"] = ICalGLib.Property.method_to_string(comp.get_method())
    if comp.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT) is None:
        result["errors"].append("no VEVENT")
    # check_restrictions adds an X-LIC-ERROR (INVALID-ITIP) to the component
    # for each rule the file breaks; parse errors were added while parsing.
    comp.check_restrictions()
    result["errors"].extend(errors_of(comp))
    result["ok"] = not result["errors"]
    return result


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = False
    for name in argv:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                data = f.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            res = {"file": name, "method": "", "ok": False, "errors": ["not UTF-8: %s" % err]}
        else:
            res = check(name, text)
        failed = failed or not res["ok"]
        print(json.dumps(res, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
