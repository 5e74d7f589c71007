// Parses an ICS file with Mozilla's ical.js (the parser of Thunderbird and many web calendars),
// a second opinion next to Python's `icalendar`, and prints what it read as JSON.
// Usage: node parse_ics.mjs FILE.ics. Exits non-zero, with ical.js's message, if it refuses.
// ical.min.mjs is ical.js's dist/ical.min.js from npm (package.json pins the version), vendored
// like tests/browser/axe.min.js so the suite needs no network.
import { readFileSync } from "node:fs";
import ICAL from "./ical.min.mjs";

// Calendar apps that honour X-PUBLISHED-TTL read it as a DURATION (RFC 5545 3.3.6), as
// REFRESH-INTERVAL is; stock ical.js would keep an unknown X- property as text and so let
// "6:00:00" through.
ICAL.design.icalendar.property["x-published-ttl"] = { defaultType: "duration" };

const text = readFileSync(process.argv[2], "utf8");
let calendar;
try {
  calendar = new ICAL.Component(ICAL.parse(text));
} catch (error) {
  console.error(`ical.js refused the file: ${error.message}`);
  process.exit(1);
}
const value = (component, name) => {
  const found = component.getFirstPropertyValue(name);
  return found === null ? null : found.toString();
};
let result;
try {
  result = {
  properties: Object.fromEntries(
    calendar.getAllProperties().map((property) => [
      property.name,
      { type: property.type, value: property.getFirstValue().toString() },
    ]),
  ),
  events: calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toString(),
      end: event.endDate.toString(),
      allDay: event.startDate.isDate,
      url: value(vevent, "url"),
    };
  }),
  };
} catch (error) {
  console.error(`ical.js refused the file: ${error.message}`);
  process.exit(1);
}
console.log(JSON.stringify(result));
