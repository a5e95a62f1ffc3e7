// The event page's writes: correct fields, merge events in, split mentions off.
"use strict";

(function () {
  const { postJSON } = window.defcoop;
  const page = document.getElementById("event");
  const eventId = page.dataset.event;
  const base = "/api/events/" + encodeURIComponent(eventId);
  const errorBox = document.getElementById("write-error");
  const who = document.getElementById("who");
  const tokenBox = document.getElementById("token");

  who.value = localStorage.getItem("defcoop-who") || "";
  tokenBox.value = sessionStorage.getItem("defcoop-token") || "";
  who.addEventListener("change", () => localStorage.setItem("defcoop-who", who.value.trim()));
  tokenBox.addEventListener("change", () => sessionStorage.setItem("defcoop-token", tokenBox.value.trim()));

  function fail(error) {
    errorBox.textContent = error.message;
    errorBox.hidden = false;
  }

  // The analyst's name goes into the log with every change: none, no change.
  function writer() {
    sessionStorage.setItem("defcoop-token", tokenBox.value.trim());
    const name = who.value.trim();
    if (!name) throw new Error("give your name first: the history records who made each change");
    return name;
  }

  document.getElementById("correct-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const values = {};
    for (const input of form.querySelectorAll("[data-initial]")) {
      if (input.value.trim() !== input.dataset.initial) values[input.name] = input.value.trim();
    }
    if (Object.keys(values).length === 0) {
      fail(new Error("nothing changed: edit a field first"));
      return;
    }
    try {
      const body = { set: values, why: form.elements.why.value, who: writer() };
      const answer = await postJSON(base + "/corrections", body);
      location.assign("/events/" + encodeURIComponent(answer.event_id));
    } catch (error) {
      fail(error);
    }
  });

  for (const form of document.querySelectorAll(".revert-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const body = { revert: [form.dataset.field], why: form.elements.why.value, who: writer() };
        const answer = await postJSON(base + "/corrections", body);
        location.assign("/events/" + encodeURIComponent(answer.event_id));
      } catch (error) {
        fail(error);
      }
    });
  }

  document.getElementById("merge-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const ids = form.elements.events.value.split(/[\s,]+/).filter(Boolean);
    try {
      const body = { events: ids, why: form.elements.why.value, who: writer() };
      const answer = await postJSON(base + "/merge", body);
      location.assign("/events/" + encodeURIComponent(answer.event_id));
    } catch (error) {
      fail(error);
    }
  });

  document.getElementById("split-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const chosen = [...form.querySelectorAll("input[name=mention]:checked")].map((c) => Number(c.value));
    try {
      const body = { mentions: chosen, why: form.elements.why.value, who: writer() };
      const answer = await postJSON(base + "/split", body);
      location.assign("/events/" + encodeURIComponent(answer.event_id));
    } catch (error) {
      fail(error);
    }
  });
})();
