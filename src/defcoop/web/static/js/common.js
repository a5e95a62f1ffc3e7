// Shared by every page: element building (text only, never HTML), API calls, and the
// highlighting of the sentence a link points at.
"use strict";

window.defcoop = (function () {
  const TYPES = ["exercise", "training", "agreement", "meeting", "transfer"];
  const COLORS = {
    exercise: "#d95f02",
    training: "#1b9e77",
    agreement: "#7570b3",
    meeting: "#e7298a",
    transfer: "#66a61e",
  };
  const SVG = "http://www.w3.org/2000/svg";

  // An element with attributes and text content; data never becomes markup.
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function getJSON(path, params) {
    const query = params ? "?" + params.toString() : "";
    const response = await fetch(path + query, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || response.statusText);
    return body;
  }

  function token() {
    return sessionStorage.getItem("defcoop-token") || "";
  }

  async function postJSON(path, body) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token()) headers.Authorization = "Bearer " + token();
    const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.detail || response.statusText);
    return answer;
  }

  // The marks of the mention named in the URL's #fragment stand out.
  function focusFragment() {
    for (const mark of document.querySelectorAll("mark.focus")) mark.classList.remove("focus");
    const key = decodeURIComponent(location.hash.slice(1));
    if (!key) return;
    for (const mark of document.querySelectorAll("mark[data-keys]")) {
      if (mark.dataset.keys.split(" ").includes(key)) mark.classList.add("focus");
    }
  }
  window.addEventListener("hashchange", focusFragment);
  document.addEventListener("DOMContentLoaded", focusFragment);

  return { TYPES, COLORS, el, svg, getJSON, postJSON, token };
})();
