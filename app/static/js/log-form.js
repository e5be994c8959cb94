// The session log form, for a visitor: a time they type is read in the zone this browser
// is in, so send that zone with the form and name it beside the time. Without this script
// the server reads the time in their profile's zone once they sign in (app/timezones.py).
const form = document.querySelector("form.log-form[data-browser-zone]");
const zoneInput = form && form.querySelector('input[name="time_zone"]');
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zoneInput && zone) {
  zoneInput.value = zone;
  const hint = form.querySelector("#completed_at-hint");
  if (hint) hint.textContent = `Leave empty for right now. Read in this device's time zone: ${zone.replaceAll("_", " ")}.`;
}
