// Draws the state chart the server laid out (GET api/chart) as inline SVG; no library, no network.
const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Renders `chart` into `container`; returns a function highlighting the node of a state key. */
export function drawChart(container, chart) {
  const svg = el('svg', { viewBox: `0 0 ${chart.width} ${chart.height}`, role: 'img' });
  const defs = el('defs');
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#9aa3b5' }));
  defs.append(marker);
  svg.append(defs);
  for (const edge of chart.edges) {
    const g = el('g', { class: `edge ${edge.kind}${edge.eventless ? ' eventless' : ''}` });
    g.append(el('path', { d: edge.path }));
    const lines = edge.labels;
    const text = el('text', { x: edge.labelX, y: edge.labelY - ((lines.length - 1) * 10) / 2 });
    if (edge.kind === 'self') text.setAttribute('text-anchor', 'start');
    lines.forEach((line, i) => {
      text.append(el('tspan', { x: edge.labelX, dy: i === 0 ? 0 : 10 }, line));
    });
    g.append(text);
    svg.append(g);
  }
  const nodes = new Map();
  for (const node of chart.nodes) {
    const g = el('g', { class: `node${node.transient ? ' transient' : ''}`, 'data-state': node.key });
    g.append(el('rect', { x: node.x, y: node.y, width: node.w, height: node.h, rx: 10 }));
    if (node.final)
      g.append(el('rect', { x: node.x + 3, y: node.y + 3, width: node.w - 6, height: node.h - 6, rx: 8 }));
    g.append(el('text', { x: node.x + node.w / 2, y: node.y + node.h / 2 }, node.key));
    nodes.set(node.key, g);
    svg.append(g);
  }
  container.replaceChildren(svg);
  return (stateKey) => {
    for (const [key, g] of nodes) g.classList.toggle('current', key === stateKey);
  };
}
