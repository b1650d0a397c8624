/* The relationship network map (networks/network_page.html).
 *
 * Draws the snapshot embedded in the page (a json_script block) with the vendored cytoscape, at the
 * positions stored with the snapshot, so nothing is laid out on the phone and an old snapshot keeps
 * its shape. The canvas has no keyboard model, so the buttons and the "find" list outside it do the
 * work; the lists under the map hold the same information for everyone. Without this script (or
 * cytoscape) the map section stays hidden and the page is the lists.
 */
(function () {
  "use strict";

  var section = document.getElementById("network-map-section");
  var source = document.getElementById("network-data");
  var container = document.getElementById("network-map");
  if (!section || !source || !container || typeof window.cytoscape !== "function") {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.nodes || data.nodes.length === 0) {
    return;
  }

  // Okabe-Ito colours: told apart by most people with colour-blindness.
  var palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999"];
  var noGroup = "#d0d4da";

  var elements = [];
  data.nodes.forEach(function (node) {
    elements.push({
      group: "nodes",
      data: {
        id: node.id,
        label: node.label,
        url: node.url,
        reason: node.reason,
        degree: node.degree,
        community: node.community,
        colour: node.community ? palette[(node.community - 1) % palette.length] : noGroup
      },
      position: { x: node.x, y: node.y },
      classes: [node.kind, node.bridge ? "bridge" : ""].join(" ")
    });
  });
  data.edges.forEach(function (edge, index) {
    elements.push({
      group: "edges",
      data: { id: "e" + index, source: edge.source, target: edge.target, kind: edge.kind },
      classes: edge.bridge ? "bridge-tie" : ""
    });
  });

  section.hidden = false;
  var cy = window.cytoscape({
    container: container,
    elements: elements,
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.05,
    maxZoom: 5,
    boxSelectionEnabled: false,
    autoungrabify: true,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          "border-width": 1,
          "border-color": "#4a5260",
          label: "data(label)",
          "font-size": 11,
          color: "#1b1f24",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          "min-zoomed-font-size": 8,
          width: 18,
          height: 18
        }
      },
      { selector: "node.organisation", style: { shape: "round-rectangle", width: 22, height: 22 } },
      { selector: "node.bridge", style: { "border-width": 4, "border-color": "#1b1f24" } },
      {
        selector: "node:selected",
        style: { "border-width": 6, "border-color": "#ffbf47", "font-size": 14, "font-weight": "bold", "z-index": 10 }
      },
      { selector: "edge", style: { width: 1, "line-color": "#9aa3ad", "curve-style": "haystack" } },
      { selector: "edge.bridge-tie", style: { width: 3, "line-color": "#1b1f24" } }
    ]
  });

  var status = document.getElementById("network-map-status");
  var find = document.getElementById("network-find");

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function zoomBy(factor) {
    cy.zoom({
      level: cy.zoom() * factor,
      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 }
    });
  }

  function describe(node) {
    var ties = node.data("degree");
    var words = node.data("label") + ": " + (ties === 1 ? "1 tie" : ties + " ties");
    words += node.data("community") ? ", group " + node.data("community") : ", no group";
    if (node.data("reason")) {
      words += ". Bridge: " + node.data("reason");
    }
    return words + ".";
  }

  function show(id) {
    var node = cy.getElementById(id);
    if (node.empty()) {
      return;
    }
    cy.elements().unselect();
    node.select();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.5) }, { duration: 250 });
    say("Showing " + describe(node));
  }

  var actions = {
    "zoom-in": function () { zoomBy(1.4); },
    "zoom-out": function () { zoomBy(1 / 1.4); },
    fit: function () { cy.elements().unselect(); cy.fit(undefined, 30); say("Showing the whole map."); },
    find: function () {
      if (find && find.value) {
        show(find.value);
      } else {
        say("Choose a name in the list first.");
      }
    }
  };
  section.addEventListener("click", function (event) {
    var button = event.target.closest("[data-map-action]");
    if (button && actions[button.getAttribute("data-map-action")]) {
      actions[button.getAttribute("data-map-action")]();
    }
  });

  cy.on("tap", "node", function (event) {
    var url = event.target.data("url");
    if (url) {
      window.location.assign(url);
    }
  });
  cy.on("mouseover", "node", function (event) {
    say(describe(event.target));
  });
})();
