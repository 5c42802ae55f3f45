# tradeoff_slicing.gp - Time-memory trade-off: slicing scale=0.2 (lower left is better)
# Written by `gcbench plot` from results/reference; the numbers are in tradeoff_slicing.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot tradeoff_slicing.gp
# from any directory: it changes to its own, reads tradeoff_slicing.dat and writes
# tradeoff_slicing.png and tradeoff_slicing.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1002,600 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1002,600 noenhanced font 'sans,10' background '#ffffff' }
set output 'tradeoff_slicing.'.fmt
set title 'Time-memory trade-off: slicing scale=0.2 (lower left is better)'
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
set xrange [0.00972165/xdiv:0.045276/xdiv]
set yrange [0/ydiv:1.38052e+07/ydiv]
# names beside the points on the Pareto front, a thin line to each moved off its point's height;
# to name every point instead, add to the plot
#   '' index 0 using ($2/xdiv):($5/ydiv):1 with labels left offset char 0.6 font ',8' notitle
set style textbox opaque noborder margins 1, 0
set label 100 'mimalloc/marksweep' at graph 0.05532, graph 0.54148 left font ',8' boxed front
set label 101 'pool+mimalloc/rc' at graph 0.26437, graph 0.25982 left font ',8' boxed front
set arrow 101 from graph 0.26159, graph 0.25982 to first 0.018726/xdiv, first 2.8672e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 102 'pool/rc' at graph 0.27034, graph 0.23274 left font ',8' boxed front
set arrow 102 from graph 0.26756, graph 0.23274 to first 0.0189384/xdiv, first 2.67469e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 103 'pool/gen' at graph 0.27741, graph 0.20566 left font ',8' boxed front
set arrow 103 from graph 0.27463, graph 0.20566 to first 0.0191897/xdiv, first 2.64192e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 104 'glibc/rc' at graph 0.32572, graph 0.17857 left font ',8' boxed front
set arrow 104 from graph 0.32294, graph 0.17857 to first 0.0209072/xdiv, first 2.61325e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 105 'glibc/incremental' at graph 0.34697, graph 0.15149 left font ',8' boxed front
set arrow 105 from graph 0.34419, graph 0.15149 to first 0.0216629/xdiv, first 2.56819e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
set label 106 'glibc/trialdel' at graph 0.63932, graph 0.12441 left font ',8' boxed front
set arrow 106 from graph 0.63654, graph 0.12441 to first 0.0320572/xdiv, first 2.54771e+06/ydiv nohead linewidth 0.5 linecolor rgb 'gray50' front
plot 'tradeoff_slicing.dat' index 0 using ($9 == 0 ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '#1f77b4' title 'rc', \
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
