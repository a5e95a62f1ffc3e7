// The review page: a near-duplicate pair is merged with one click, logged with who and why.
"use strict";

(function () {
  const { postJSON } = window.defcoop;
  const errorBox = document.getElementById("write-error");
  const who = document.getElementById("who");
  const tokenBox = document.getElementById("token");
  const why = document.getElementById("merge-why");

  who.value = localStorage.getItem("defcoop-who") || "";
  tokenBox.value = sessionStorage.getItem("defcoop-token") || "";
  who.addEventListener("change", () => localStorage.setItem("defcoop-who", who.value.trim()));
  tokenBox.addEventListener("change", () => sessionStorage.setItem("defcoop-token", tokenBox.value.trim()));

  for (const button of document.querySelectorAll(".merge-button")) {
    button.addEventListener("click", async () => {
      const row = button.closest("tr");
      const [kept, other] = row.dataset.events.split(" ");
      sessionStorage.setItem("defcoop-token", tokenBox.value.trim());
      const body = { events: [other], why: why.value.trim(), who: who.value.trim() || null };
      button.disabled = true;
      try {
        const answer = await postJSON("/api/events/" + encodeURIComponent(kept) + "/merge", body);
        location.assign("/events/" + encodeURIComponent(answer.event_id));
      } catch (error) {
        errorBox.textContent = error.message;
        errorBox.hidden = false;
        button.disabled = false;
      }
    });
  }
})();
