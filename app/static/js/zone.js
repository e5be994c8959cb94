// Onboarding: pick the device's time zone in the list, when the person has not chosen one
// yet and the browser knows it (Intl). Without JavaScript the list stays as the server set it.
const select = document.querySelector("select[name=time_zone]");
const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (select && detected && select.value === "UTC" && [...select.options].some((option) => option.value === detected)) {
  select.value = detected;
}
