# tradeoff_locals.gp - Time-memory trade-off: locals scale=0.2 (lower left is better)
# Written by `gcbench plot` from results/reference; the numbers are in tradeoff_locals.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot tradeoff_locals.gp
# from any directory: it changes to its own, reads tradeoff_locals.dat and writes
# tradeoff_locals.png and tradeoff_locals.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1002,600 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1002,600 noenhanced font 'sans,10' background '#ffffff' }
set output 'tradeoff_locals.'.fmt
set title 'Time-memory trade-off: locals scale=0.2 (lower left is better)'
# units of the axes (the data file: workload time (median); peak RSS (median))
xdiv = 0.001; xunit = 'ms'; ydiv = 1.04858e+06; yunit = 'MiB'
set xlabel 'workload time (median)'.', '.xunit
set ylabel 'peak RSS (median)'.', '.yunit
set grid
set key outside right top vertical Left reverse title 'collector (95% CIs)' noenhanced width 3
# the frame, in pixels of the 1002x600 canvas, and the ranges (data file units over xdiv, ydiv):
# the names of the front are placed for them
set lmargin at screen 0.08982
set rmargin at screen 0.80838
set tmargin at screen 0.91667
set bmargin at screen 0.11667
set xrange [0.0184189/xdiv:0.127035/xdiv]
set yrange [0/ydiv:1.95092e+07/ydiv]
# names beside the points on the Pareto front, a thin line to each moved off its point's height;
# to name every point instead, add to the plot
#   '' index 0 using ($2/xdiv):($5/ydiv):1 with labels left offset char 0.6 font ',8' notitle
set style textbox opaque noborder margins 1, 0
set label 100 'pool+mimalloc/drc' at graph 0.07598, graph 0.61642 left font ',8' boxed front
set label 101 'pool/drc' at graph 0.08606, graph 0.52152 left font ',8' boxed front
set arrow 101 from graph 0.08328, graph 0.52152 to first 0.0265592/xdiv, first 9.6297e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 102 'mimalloc/incremental' at graph 0.20741, graph 0.49444 left font ',8' boxed front
set arrow 102 from graph 0.20464, graph 0.49444 to first 0.0397406/xdiv, first 9.44538e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 103 'pool/rc' at graph 0.21366, graph 0.46735 left font ',8' boxed front
set arrow 103 from graph 0.21089, graph 0.46735 to first 0.0404195/xdiv, first 8.84326e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 104 'pool/lazy' at graph 0.23033, graph 0.44027 left font ',8' boxed front
set arrow 104 from graph 0.22756, graph 0.44027 to first 0.0422301/xdiv, first 8.83917e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 105 'pool/trialdel' at graph 0.29046, graph 0.41319 left font ',8' boxed front
set arrow 105 from graph 0.28769, graph 0.41319 to first 0.0487612/xdiv, first 8.83098e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
plot 'tradeoff_locals.dat' index 0 using ($9 == 0 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#1f77b4' title 'rc', \
  '' index 0 using ($9 == 1 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#ff7f0e' title 'gen', \
  '' index 0 using ($9 == 2 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#2ca02c' title 'drc', \
  '' index 0 using ($9 == 3 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#d62728' title 'lazy', \
  '' index 0 using ($9 == 4 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#9467bd' title 'trialdel', \
  '' index 0 using ($9 == 5 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#8c564b' title 'marksweep', \
  '' index 0 using ($9 == 6 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#e377c2' title 'incremental', \
  '' index 1 using ($1/xdiv):($2/ydiv) with steps linewidth 2 linecolor rgb '#d62728' title 'Pareto front', \
  '' index 1 using ($1/xdiv):($2/ydiv) with points pointtype 6 pointsize 1.6 linecolor rgb '#d62728' notitle
unset output
}
