# tradeoff_aliasing.gp - Time-memory trade-off: aliasing scale=0.2 (lower left is better)
# Written by `gcbench plot` from results/reference; the numbers are in tradeoff_aliasing.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot tradeoff_aliasing.gp
# from any directory: it changes to its own, reads tradeoff_aliasing.dat and writes
# tradeoff_aliasing.png and tradeoff_aliasing.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1000,600 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1000,600 noenhanced font 'sans,10' background '#ffffff' }
set output 'tradeoff_aliasing.'.fmt
set title 'Time-memory trade-off: aliasing scale=0.2 (lower left is better)'
# units of the axes (the data file: workload time (median); peak RSS (median))
xdiv = 0.001; xunit = 'ms'; ydiv = 1.04858e+06; yunit = 'MiB'
set xlabel 'workload time (median)'.', '.xunit
set ylabel 'peak RSS (median)'.', '.yunit
set grid
set key outside right top vertical Left reverse title 'collector (95% CIs)' noenhanced
set offsets graph 0.05, graph 0.2, graph 0.08, 0
set yrange [0:*]
# names beside the points on the Pareto front; to name every point, use
#   using ($2/xdiv):($5/ydiv):1 with labels ...
plot 'tradeoff_aliasing.dat' index 0 using ($9 == 0 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#1f77b4' title 'rc', \
  '' index 0 using ($9 == 1 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#ff7f0e' title 'gen', \
  '' index 0 using ($9 == 2 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#2ca02c' title 'drc', \
  '' index 0 using ($9 == 3 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#d62728' title 'lazy', \
  '' index 0 using ($9 == 4 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#9467bd' title 'trialdel', \
  '' index 0 using ($9 == 5 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#8c564b' title 'marksweep', \
  '' index 0 using ($9 == 6 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#e377c2' title 'incremental', \
  '' index 0 using ($2/xdiv):($5/ydiv):($8 == 1 ? stringcolumn(1) : '') with labels left offset char 0.6, char 0.5 font ',8' notitle, \
  '' index 1 using ($1/xdiv):($2/ydiv) with steps linewidth 2 linecolor rgb '#d62728' title 'Pareto front', \
  '' index 1 using ($1/xdiv):($2/ydiv) with points pointtype 6 pointsize 1.6 linecolor rgb '#d62728' notitle
unset output
}
