/* The campaign's network graph: Cytoscape.js over the data the page embeds with json_script.
   Shape tells people (ellipse) from organizations (rectangle); line width and pattern tell
   strength; labels carry names and kinds, so nothing depends on colour alone. */
(function () {
  "use strict";
  var container = document.getElementById("network-graph");
  var source = document.getElementById("network-data");
  if (!container || !source || typeof window.cytoscape !== "function") return;
  // Cytoscape adds a <style> element to the page unless one with this id exists; the
  // Content-Security-Policy blocks inline styles, and network.css carries the same rule.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }
  var data = JSON.parse(source.textContent);
  var elements = [];
  data.nodes.forEach(function (n) {
    var label = n.label + (n.stance ? "\n(" + n.stance + ")" : "");
    elements.push({ data: { id: n.id, label: label, url: n.url, type: n.type,
                            centre: n.centre ? "yes" : "no" } });
  });
  data.edges.forEach(function (e) {
    elements.push({ data: { id: e.id, source: e.source, target: e.target, label: e.kind,
                            strength: e.strength, mutual: e.mutual ? "yes" : "no" } });
  });
  var cy = window.cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 110 },
    style: [
      { selector: "node", style: {
          "label": "data(label)", "text-wrap": "wrap", "text-max-width": 140, "font-size": 11,
          "text-valign": "bottom", "text-margin-y": 4, "color": "#1b1b1b",
          "background-color": "#ffffff", "border-width": 2, "border-color": "#1b1b1b",
          "width": 26, "height": 26 } },
      { selector: "node[type = 'person']", style: { "shape": "ellipse" } },
      { selector: "node[type = 'organization']", style: { "shape": "round-rectangle", "width": 30, "height": 24 } },
      { selector: "node[centre = 'yes']", style: { "border-width": 4, "background-color": "#dfe1e2", "font-weight": "bold" } },
      { selector: "edge", style: {
          "curve-style": "bezier", "line-color": "#565c65", "target-arrow-color": "#565c65",
          "target-arrow-shape": "triangle", "label": "data(label)", "font-size": 9,
          "text-rotation": "autorotate", "text-background-color": "#ffffff",
          "text-background-opacity": 1, "text-background-padding": 1, "color": "#1b1b1b" } },
      { selector: "edge[mutual = 'yes']", style: { "target-arrow-shape": "none" } },
      { selector: "edge[strength = 3]", style: { "width": 4, "line-style": "solid" } },
      { selector: "edge[strength = 2]", style: { "width": 2, "line-style": "dashed" } },
      { selector: "edge[strength = 1]", style: { "width": 2, "line-style": "dotted" } },
      { selector: "node:selected", style: { "border-color": "#005ea2", "border-width": 5 } }
    ]
  });
  cy.on("tap", "node", function (event) {
    var url = event.target.data("url");
    if (url) window.location.assign(url);
  });
  container.setAttribute("data-ready", "true");
})();
