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

  // Merge the pair into its first event, or record that the two are not one.
  async function act(button, action) {
    const row = button.closest("tr");
    const [kept, other] = row.dataset.events.split(" ");
    sessionStorage.setItem("defcoop-token", tokenBox.value.trim());
    for (const b of row.querySelectorAll("button")) b.disabled = true;
    try {
      const name = who.value.trim();
      if (!name) throw new Error("give your name first: the history records who made each change");
      const body = { events: [other], why: why.value.trim(), who: name };
      const answer = await postJSON("/api/events/" + encodeURIComponent(kept) + "/" + action, body);
      if (action === "merge") location.assign("/events/" + encodeURIComponent(answer.event_id));
      else location.reload();
    } catch (error) {
      errorBox.textContent = error.message;
      errorBox.hidden = false;
      for (const b of row.querySelectorAll("button")) b.disabled = false;
    }
  }

  for (const button of document.querySelectorAll(".merge-button")) {
    button.addEventListener("click", () => act(button, "merge"));
  }
  for (const button of document.querySelectorAll(".apart-button")) {
    button.addEventListener("click", () => act(button, "apart"));
  }
})();
